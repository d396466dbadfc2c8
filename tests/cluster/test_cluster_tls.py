"""A tls:// cluster: the scheduler, the worker and the job each hold a certificate of the
user's own authority (the files of the `[compute]` config); a job without them is refused
in one line."""

from __future__ import annotations

import datetime
import ipaddress
import os
from pathlib import Path

import pytest

from tests.helpers import termkam_cli

from .conftest import Cluster, cluster_env


def _authority(folder: Path) -> tuple[Path, Path, Path]:
    """A certificate authority and one certificate for 127.0.0.1 signed by it (ca, cert,
    key files), as `openssl` would make them."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    now = datetime.datetime.now(datetime.UTC)

    def certificate(subject: str, key: ec.EllipticCurvePrivateKey, issuer: x509.Name,
                    signer: ec.EllipticCurvePrivateKey, ca: bool) -> x509.Certificate:
        builder = (x509.CertificateBuilder()
                   .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
                   .issuer_name(issuer).public_key(key.public_key())
                   .serial_number(x509.random_serial_number())
                   .not_valid_before(now - datetime.timedelta(minutes=5))
                   .not_valid_after(now + datetime.timedelta(days=1))
                   .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True))
        if not ca:
            builder = builder.add_extension(x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]),
                critical=False)
        return builder.sign(signer, hashes.SHA256())

    ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "termkam test CA")])
    ca = certificate("termkam test CA", ca_key, ca_name, ca_key, True)
    cert = certificate("127.0.0.1", key, ca_name, ca_key, False)
    files = folder / "ca.pem", folder / "cert.pem", folder / "key.pem"
    files[0].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    files[1].write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    files[2].write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return files


def _config(home: Path, ca: Path, cert: Path, key: Path) -> None:
    (home / "termkam").mkdir(parents=True, exist_ok=True)
    (home / "termkam" / "config.toml").write_text(
        f'[compute]\ntls_ca_file = "{ca}"\ntls_cert_file = "{cert}"\ntls_key_file = "{key}"\n')


@pytest.fixture(scope="module")
def tls_cluster(tmp_path_factory: pytest.TempPathFactory, _shared_models_dir: Path):
    from distributed.security import Security

    folder = tmp_path_factory.mktemp("tls-cluster")
    ca, cert, key = _authority(folder)
    env = cluster_env(folder, _shared_models_dir)
    _config(Path(env["XDG_CONFIG_HOME"]), ca, cert, key)
    running = Cluster(folder, env, ("--protocol", "tls", "--tls-ca-file", str(ca),
                                    "--tls-cert", str(cert), "--tls-key", str(key)),
                      Security(tls_ca_file=str(ca), tls_client_cert=str(cert),
                               tls_client_key=str(key), require_encryption=True))
    try:
        running.start_worker("tls-worker")
        yield running, (ca, cert, key)
    finally:
        running.close()


def test_a_job_runs_over_tls_with_the_configured_certificates(
        tls_cluster, photo_tree: Path, tmp_path: Path) -> None:
    cluster, files = tls_cluster
    assert cluster.address.startswith("tls://127.0.0.1:")
    library = tmp_path / "library"
    assert termkam_cli("--library", str(library), "scan", str(photo_tree)).returncode == 0

    refused = termkam_cli("--library", str(library), "run", "quality", "--cluster",
                          cluster.address)
    assert refused.returncode == 2 and "needs TLS files" in refused.stderr, refused.stderr
    assert "tls_ca_file" in refused.stderr and "Traceback" not in refused.stderr

    _config(Path(os.environ["XDG_CONFIG_HOME"]), *files)
    before = cluster.executed()["tls-worker"]
    run = termkam_cli("--library", str(library), "run", "quality", "--mode", "all",
                      "--cluster", cluster.address)
    assert run.returncode == 0, run.stderr
    photos = len(list(photo_tree.rglob("*.*")))
    assert f"{photos} photos scored" in run.stdout + run.stderr, run.stdout
    assert cluster.executed()["tls-worker"] - before == photos
