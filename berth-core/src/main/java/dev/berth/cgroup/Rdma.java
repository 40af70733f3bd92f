package dev.berth.cgroup;

import dev.berth.spec.Resources;

/** The rdma.max line of one device, the same on v1 and v2. */
final class Rdma {
    private Rdma() {}

    /** "mlx4_0 hca_handle=2 hca_object=2000", or null when neither limit is given. */
    static String line(String device, Resources.Rdma r) {
        if (r.hcaHandles() == null && r.hcaObjects() == null) return null;
        StringBuilder sb = new StringBuilder(device);
        if (r.hcaHandles() != null) sb.append(" hca_handle=").append(r.hcaHandles());
        if (r.hcaObjects() != null) sb.append(" hca_object=").append(r.hcaObjects());
        return sb.toString();
    }
}
