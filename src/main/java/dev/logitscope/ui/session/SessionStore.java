package dev.logitscope.ui.session;

/** Where the session lives between runs. Injectable, so tests never touch the user's home. */
public interface SessionStore {

    /** The saved session, or the defaults when there is none or it cannot be read. */
    Session load();

    /** Saves quietly: a session that cannot be written must never stop the app. */
    void save(Session session);

    /** A store that forgets everything (for tests and screenshots). */
    static SessionStore inMemory(Session initial) {
        return new SessionStore() {
            private Session current = initial;

            @Override
            public Session load() {
                return current;
            }

            @Override
            public void save(Session session) {
                current = session;
            }
        };
    }
}
