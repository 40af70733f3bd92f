package dev.berth.cgroup;

/**
 * One value for one cgroup file, and the config field it comes from (for errors).
 *
 * @param controller the controller whose directory holds the file ("memory"; on v2 the unified
 *     directory holds every file, and this only names the controller in messages)
 * @param file the file name, e.g. memory.limit_in_bytes
 * @param field the config field, e.g. "linux.resources.memory.limit"
 * @param fallback written instead when {@code file} does not exist (blkio.weight, then
 *     blkio.bfq.weight); null when there is none
 * @param optional skipped, not an error, when the file does not exist (a value berth adds on
 *     its own, such as an unlimited swap next to an unlimited memory limit)
 */
public record CgroupWrite(String controller, String file, String value, String field, CgroupWrite fallback,
        boolean optional) {

    public CgroupWrite(String controller, String file, String value, String field) {
        this(controller, file, value, field, null, false);
    }

    public CgroupWrite(String controller, String file, String value, String field, CgroupWrite fallback) {
        this(controller, file, value, field, fallback, false);
    }

    @Override
    public String toString() {
        return controller + "/" + file + "=" + value + (fallback == null ? "" : " or " + fallback)
                + (optional ? " if present" : "");
    }
}
