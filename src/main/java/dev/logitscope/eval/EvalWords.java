package dev.logitscope.eval;

/**
 * How a surface speaks of an evaluation's inputs: the command line says {@code --limit} and
 * "pass --skip-bad", the Evaluate tab "Limit" and "tick “Skip bad lines”". An {@link EvalException}
 * is written once against these words and each surface renders it with its own.
 */
public interface EvalWords {
    /** The input's name: "--limit" / "Limit". */
    String name(EvalInput input);

    /** Asking for a switch: "pass --resume" / "press Resume". */
    String turnOn(EvalInput input);

    /** Doing without it: "run without --resume" / "press Run". */
    String turnOff(EvalInput input);

    /** Starting a fresh run beside a finished or stopped one: "choose another --out" / "press Run …". */
    String newRun();

    /** The command line's words: {@code eval}'s options. */
    EvalWords OPTIONS = new EvalWords() {
        @Override
        public String name(EvalInput input) {
            return input.option();
        }

        @Override
        public String turnOn(EvalInput input) {
            return "pass " + input.option();
        }

        @Override
        public String turnOff(EvalInput input) {
            return input == EvalInput.RESUME ? "run without --resume" : "drop " + input.option();
        }

        @Override
        public String newRun() {
            return "choose another --out";
        }
    };

    /** Plain words, for a message no surface renders (a skipped line's reason, shown by both). */
    EvalWords PLAIN = new EvalWords() {
        @Override
        public String name(EvalInput input) {
            return input.plain();
        }

        @Override
        public String turnOn(EvalInput input) {
            return "set " + input.plain();
        }

        @Override
        public String turnOff(EvalInput input) {
            return "do without " + input.plain();
        }

        @Override
        public String newRun() {
            return "start a new run in another output folder";
        }
    };
}
