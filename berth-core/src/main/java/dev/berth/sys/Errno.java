package dev.berth.sys;

/** Linux errno values and their messages, as strerror(3) words them. */
public final class Errno {
    private Errno() {}

    public static String describe(int errno) {
        return switch (errno) {
            case 1 -> "Operation not permitted"; // EPERM
            case 2 -> "No such file or directory"; // ENOENT
            case 3 -> "No such process"; // ESRCH
            case 4 -> "Interrupted system call"; // EINTR
            case 5 -> "Input/output error"; // EIO
            case 6 -> "No such device or address"; // ENXIO
            case 7 -> "Argument list too long"; // E2BIG
            case 8 -> "Exec format error"; // ENOEXEC
            case 9 -> "Bad file descriptor"; // EBADF
            case 10 -> "No child processes"; // ECHILD
            case 11 -> "Resource temporarily unavailable"; // EAGAIN
            case 12 -> "Cannot allocate memory"; // ENOMEM
            case 13 -> "Permission denied"; // EACCES
            case 14 -> "Bad address"; // EFAULT
            case 15 -> "Block device required"; // ENOTBLK
            case 16 -> "Device or resource busy"; // EBUSY
            case 17 -> "File exists"; // EEXIST
            case 18 -> "Invalid cross-device link"; // EXDEV
            case 19 -> "No such device"; // ENODEV
            case 20 -> "Not a directory"; // ENOTDIR
            case 21 -> "Is a directory"; // EISDIR
            case 22 -> "Invalid argument"; // EINVAL
            case 23 -> "Too many open files in system"; // ENFILE
            case 24 -> "Too many open files"; // EMFILE
            case 25 -> "Inappropriate ioctl for device"; // ENOTTY
            case 26 -> "Text file busy"; // ETXTBSY
            case 27 -> "File too large"; // EFBIG
            case 28 -> "No space left on device"; // ENOSPC
            case 29 -> "Illegal seek"; // ESPIPE
            case 30 -> "Read-only file system"; // EROFS
            case 31 -> "Too many links"; // EMLINK
            case 32 -> "Broken pipe"; // EPIPE
            case 33 -> "Numerical argument out of domain"; // EDOM
            case 34 -> "Numerical result out of range"; // ERANGE
            case 35 -> "Resource deadlock avoided"; // EDEADLOCK
            case 36 -> "File name too long"; // ENAMETOOLONG
            case 37 -> "No locks available"; // ENOLCK
            case 38 -> "Function not implemented"; // ENOSYS
            case 39 -> "Directory not empty"; // ENOTEMPTY
            case 40 -> "Too many levels of symbolic links"; // ELOOP
            case 75 -> "Value too large for defined data type"; // EOVERFLOW
            case 87 -> "Too many users"; // EUSERS
            case 88 -> "Socket operation on non-socket"; // ENOTSOCK
            case 95 -> "Operation not supported"; // ENOTSUP
            case 110 -> "Connection timed out"; // ETIMEDOUT
            case 111 -> "Connection refused"; // ECONNREFUSED
            case 125 -> "Operation canceled"; // ECANCELED
            default -> "errno " + errno;
        };
    }
}
