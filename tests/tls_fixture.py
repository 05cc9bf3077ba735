"""A throwaway CA and a server certificate it signs, made with the openssl command, for the
HTTPS stand-ins of the tests (the system tests' localhost, the QEMU guests' github.com)."""
import ssl
import subprocess


def _openssl(*args, cwd):
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


def make_test_ca(directory, dns_names, ip_addresses=()):
    """Writes ca.pem/ca.key and server.pem/server.key (for dns_names and ip_addresses) into
    directory, valid for 2 days; returns directory."""
    _openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
             "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=MaculaOS test CA",
             cwd=directory)
    _openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
             "-keyout", "server.key", "-out", "server.csr", "-subj", f"/CN={dns_names[0]}", cwd=directory)
    names = [f"IP:{a}" for a in ip_addresses] + [f"DNS:{n}" for n in dns_names]
    (directory / "san.ext").write_text("subjectAltName=" + ",".join(names) + "\n")
    _openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
             "-CAcreateserial", "-out", "server.pem", "-days", "2", "-extfile", "san.ext", cwd=directory)
    return directory


def server_context(directory):
    """A TLS server context presenting the server certificate make_test_ca wrote in directory."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(directory / "server.pem", directory / "server.key")
    return context
