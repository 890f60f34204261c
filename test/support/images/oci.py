#!/usr/bin/env python3
"""OCI image archives for the locally built images (stdlib only): write, check, layer. See build.sh."""
import hashlib, io, json, sys, tarfile

def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return "sha256:" + h.hexdigest()

def blob(obj):
    data = json.dumps(obj, sort_keys=True, separators=(",", ":")).encode()
    return data, "sha256:" + hashlib.sha256(data).hexdigest()

def info(name, size, mode=0o644, kind=tarfile.REGTYPE):
    ti = tarfile.TarInfo(name)
    ti.size, ti.mode, ti.type, ti.mtime, ti.uid, ti.gid = size, mode, kind, 0, 0, 0
    return ti

def write(layer, out, ref, image_config):
    import os
    layer_digest, layer_size = sha256_file(layer), os.path.getsize(layer)
    config = {
        "architecture": "amd64", "os": "linux", "config": json.loads(image_config),
        "rootfs": {"type": "layers", "diff_ids": [layer_digest]},
        "history": [{"created_by": "test/node/images/build.sh"}],
    }
    config_data, config_digest = blob(config)
    manifest = {
        "schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": config_digest, "size": len(config_data)},
        "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar", "digest": layer_digest, "size": layer_size}],
    }
    manifest_data, manifest_digest = blob(manifest)
    index = {
        "schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json",
        "manifests": [{
            "mediaType": manifest["mediaType"], "digest": manifest_digest, "size": len(manifest_data),
            "platform": {"architecture": "amd64", "os": "linux"},
            "annotations": {"io.containerd.image.name": ref, "org.opencontainers.image.ref.name": ref.rsplit(":", 1)[1]},
        }],
    }
    index_data, _ = blob(index)
    with tarfile.open(out, "w", format=tarfile.PAX_FORMAT) as t:
        small = [("oci-layout", b'{"imageLayoutVersion":"1.0.0"}'), ("index.json", index_data)]
        for name, data in small:
            t.addfile(info(name, len(data)), io.BytesIO(data))
        for d in ("blobs", "blobs/sha256"):
            t.addfile(info(d, 0, 0o755, tarfile.DIRTYPE))
        for digest, data in ((manifest_digest, manifest_data), (config_digest, config_data)):
            t.addfile(info("blobs/sha256/" + digest[7:], len(data)), io.BytesIO(data))
        with open(layer, "rb") as f:
            t.addfile(info("blobs/sha256/" + layer_digest[7:], layer_size), f)

def check(archive, ref):
    """Every blob matches its digest and size; the config's diff_ids are the (uncompressed) layers'."""
    with tarfile.open(archive) as t:
        members = {m.name: m for m in t.getmembers()}
        def read(name):
            return t.extractfile(members[name]).read()
        def verify(desc):
            m = members["blobs/sha256/" + desc["digest"][7:]]
            h = hashlib.sha256()
            f = t.extractfile(m)
            for chunk in iter(lambda: f.read(1 << 20), b""):
                h.update(chunk)
            assert "sha256:" + h.hexdigest() == desc["digest"], desc
            assert m.size == desc["size"], desc
        assert json.loads(read("oci-layout"))["imageLayoutVersion"] == "1.0.0"
        index = json.loads(read("index.json"))
        [desc] = index["manifests"]
        assert desc["annotations"]["io.containerd.image.name"] == ref, desc
        verify(desc)
        manifest = json.loads(read("blobs/sha256/" + desc["digest"][7:]))
        verify(manifest["config"])
        config = json.loads(read("blobs/sha256/" + manifest["config"]["digest"][7:]))
        for layer in manifest["layers"]:
            assert layer["mediaType"] == "application/vnd.oci.image.layer.v1.tar", layer
            verify(layer)
        assert config["rootfs"]["diff_ids"] == [l["digest"] for l in manifest["layers"]]
        print(f"{ref}: manifest {desc['digest']}, {len(manifest['layers'])} layer(s), "
              f"{sum(l['size'] for l in manifest['layers']) / 1e6:.0f} MB uncompressed", file=sys.stderr)

def layer(archive):
    """Streams the (single) layer of the archive to stdout."""
    import shutil
    with tarfile.open(archive) as t:
        index = json.load(t.extractfile("index.json"))
        manifest = json.load(t.extractfile("blobs/sha256/" + index["manifests"][0]["digest"][7:]))
        [l] = manifest["layers"]
        shutil.copyfileobj(t.extractfile("blobs/sha256/" + l["digest"][7:]), sys.stdout.buffer, 1 << 20)

cmd, *args = sys.argv[1:]
{"write": write, "check": check, "layer": layer}[cmd](*args)
