package dev.logitscope.plot;

import java.io.IOException;

/** A plot could not be written; the message says why and what to do, ready for a banner or stderr. */
public class PlotExportException extends IOException {
    private static final long serialVersionUID = 1L;

    public PlotExportException(String message) {
        super(message);
    }

    public PlotExportException(String message, Throwable cause) {
        super(message, cause);
    }
}
