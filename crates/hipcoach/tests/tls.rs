//! `hipcoach serve --tls`: HTTPS with a certificate made once for this computer and kept in the
//! data folder, or the user's own; what a phone needs for its camera. Real server, loopback only.

use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, ServerName};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio_rustls::TlsConnector;
use tokio_rustls::rustls::{ClientConfig, RootCertStore, crypto::ring};

struct Server(Child, String);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `hipcoach serve` with `args`; its URL once it listens, or its error output if it stops.
fn serve(data: &Path, args: &[&str]) -> Result<Server, String> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_hipcoach"))
        .args(["--data-dir", data.to_str().expect("path"), "serve", "--bind", "127.0.0.1:0"])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout")).read_line(&mut line).expect("a line");
    match line.split("open ").nth(1).and_then(|rest| rest.split_whitespace().next()) {
        Some(url) => Ok(Server(child, url.to_owned())),
        None => {
            let output = child.wait_with_output().expect("exits");
            Err(String::from_utf8_lossy(&output.stderr).into_owned())
        }
    }
}

/// GET `path` over TLS, trusting only the certificate in `cert`: the answer's status line.
async fn get(url: &str, cert: &Path, path: &str) -> String {
    let mut roots = RootCertStore::empty();
    for certificate in CertificateDer::pem_file_iter(cert).expect("pem") {
        roots.add(certificate.expect("certificate")).expect("a root");
    }
    let config = ClientConfig::builder_with_provider(Arc::new(ring::default_provider()))
        .with_safe_default_protocol_versions()
        .expect("versions")
        .with_root_certificates(roots)
        .with_no_client_auth();
    let address = url.strip_prefix("https://").expect("an https URL");
    let tcp = tokio::net::TcpStream::connect(address).await.expect("connects");
    let name = ServerName::try_from("127.0.0.1").expect("name").to_owned();
    let mut tls =
        TlsConnector::from(Arc::new(config)).connect(name, tcp).await.expect("a TLS handshake the client trusts");
    let request = format!("GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n");
    tls.write_all(request.as_bytes()).await.expect("write");
    let mut answer = Vec::new();
    let _ = tls.read_to_end(&mut answer).await;
    String::from_utf8_lossy(&answer).into_owned()
}

#[tokio::test]
async fn serves_https_with_a_certificate_made_once_and_kept() {
    let dir = tempfile::tempdir().expect("dir");
    let data = dir.path().join("data");
    let server = serve(&data, &["--tls"]).expect("serves");
    assert!(server.1.starts_with("https://127.0.0.1:"), "{}", server.1);
    let cert = data.join("tls/cert.pem");
    let answer = get(&server.1, &cert, "/healthz").await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    let page = get(&server.1, &cert, "/connect").await;
    assert!(page.starts_with("HTTP/1.1 303") || page.starts_with("HTTP/1.1 302"), "pages work over TLS: {page}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(data.join("tls/key.pem")).expect("key").permissions().mode();
        assert_eq!(mode & 0o077, 0, "the private key is the owner's alone");
    }
    let first = std::fs::read(&cert).expect("cert");
    drop(server);
    // Started again, it keeps the same certificate: a phone that accepted it is not asked again.
    let again = serve(&data, &["--tls"]).expect("serves again");
    assert_eq!(std::fs::read(&cert).expect("cert"), first);
    assert!(get(&again.1, &cert, "/healthz").await.starts_with("HTTP/1.1 200"));
}

#[tokio::test]
async fn uses_the_users_own_certificate_and_refuses_a_key_that_does_not_fit_in_plain_words() {
    let dir = tempfile::tempdir().expect("dir");
    let made = rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_owned()]).expect("made");
    let other = rcgen::KeyPair::generate().expect("another key");
    let (cert, key, wrong) = (dir.path().join("mine.pem"), dir.path().join("mine.key"), dir.path().join("other.key"));
    std::fs::write(&cert, made.cert.pem()).expect("write");
    std::fs::write(&key, made.key_pair.serialize_pem()).expect("write");
    std::fs::write(&wrong, other.serialize_pem()).expect("write");
    let data = dir.path().join("data");
    let args = ["--cert", cert.to_str().expect("path"), "--key", key.to_str().expect("path")];
    let server = serve(&data, &args).expect("serves");
    assert!(get(&server.1, &cert, "/healthz").await.starts_with("HTTP/1.1 200"));
    assert!(!data.join("tls").exists(), "no certificate of its own is made");
    drop(server);
    let error = serve(&data, &["--cert", cert.to_str().expect("path"), "--key", wrong.to_str().expect("path")])
        .err()
        .expect("refused");
    assert!(error.contains("does not fit the certificate"), "{error}");
    let error = serve(&data, &["--cert", key.to_str().expect("path"), "--key", key.to_str().expect("path")])
        .err()
        .expect("refused");
    assert!(error.contains("holds no certificate") || error.contains("cannot read a PEM certificate"), "{error}");
}
