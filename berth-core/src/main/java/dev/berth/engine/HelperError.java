package dev.berth.engine;

import dev.berth.api.BerthException;
import dev.berth.plan.Message;
import dev.berth.plan.Protocol;
import dev.berth.sys.Errno;

/** An MSG_ERROR from berth-init, as a BerthException with the failed step's context. */
final class HelperError {
    private HelperError() {}

    static BerthException from(Message m) {
        int errno = m.u32(Protocol.A_ERRNO, 0);
        String message = m.str(Protocol.A_MESSAGE, null);
        if (message == null || message.isEmpty()) {
            String step = m.str(Protocol.A_STEP, "berth-init");
            String path = m.str(Protocol.A_PATH, null);
            message = step + (path != null ? " " + path : "") + (errno != 0 ? ": " + Errno.describe(errno) : "");
        }
        return new BerthException(BerthException.Kind.SYSTEM, message, errno, null);
    }
}
