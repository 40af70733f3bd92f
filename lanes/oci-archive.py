#!/usr/bin/env python3
"""oci-archive.py ROOTFS_DIR OUT.tar NAME:TAG: an OCI image archive of one layer, for ctr import."""
import gzip, hashlib, io, json, os, sys, tarfile

rootfs, out, ref = sys.argv[1], sys.argv[2], sys.argv[3]

layer_tar = io.BytesIO()
with tarfile.open(fileobj=layer_tar, mode="w") as t:
    t.add(rootfs, arcname=".")
diff_id = "sha256:" + hashlib.sha256(layer_tar.getvalue()).hexdigest()
layer = gzip.compress(layer_tar.getvalue(), mtime=0)

def blob(data):
    return "sha256:" + hashlib.sha256(data).hexdigest(), data

config = json.dumps({
    "architecture": "amd64", "os": "linux",
    "config": {"Env": ["PATH=/bin"], "Cmd": ["sh"]},
    "rootfs": {"type": "layers", "diff_ids": [diff_id]},
}).encode()
cfg_digest, _ = blob(config)
layer_digest, _ = blob(layer)
manifest = json.dumps({
    "schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
    "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": cfg_digest, "size": len(config)},
    "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": layer_digest,
                "size": len(layer)}],
}).encode()
man_digest, _ = blob(manifest)
index = json.dumps({
    "schemaVersion": 2,
    "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": man_digest,
                   "size": len(manifest), "annotations": {"org.opencontainers.image.ref.name": ref.split(":")[-1],
                                                          "io.containerd.image.name": ref}}],
}).encode()

with tarfile.open(out, "w") as t:
    def add(name, data):
        info = tarfile.TarInfo(name)
        info.size = len(data)
        t.addfile(info, io.BytesIO(data))
    add("oci-layout", b'{"imageLayoutVersion": "1.0.0"}')
    add("index.json", index)
    for digest, data in ((cfg_digest, config), (layer_digest, layer), (man_digest, manifest)):
        add("blobs/sha256/" + digest.split(":")[1], data)
