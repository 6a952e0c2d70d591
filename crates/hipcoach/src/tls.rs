//! HTTPS for `hipcoach serve --tls`: a phone's browser allows the camera only in a secure
//! context, and a LAN address over plain HTTP is not one. The certificate is the user's own
//! (`--cert`, `--key`) or one made for this computer on first use (rcgen) and kept in the data
//! folder, so a phone that was told to accept it once is not asked again.

use anyhow::Context;
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};
use std::net::{IpAddr, SocketAddr, UdpSocket};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tokio_rustls::rustls::ServerConfig;
use tokio_rustls::rustls::crypto::ring;

/// The TLS configuration from the user's files, or from the certificate kept in `dir` (made now
/// if there is none), valid for localhost and `address`.
pub fn server_config(
    own: Option<(&Path, &Path)>,
    dir: &Path,
    address: Option<IpAddr>,
) -> anyhow::Result<Arc<ServerConfig>> {
    let (cert, key) = match own {
        Some(files) => (files.0.to_path_buf(), files.1.to_path_buf()),
        None => self_made(dir, address)?,
    };
    let chain: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(&cert)
        .and_then(|certs| certs.collect::<Result<_, _>>())
        .with_context(|| format!("cannot read a PEM certificate from {}", cert.display()))?;
    anyhow::ensure!(
        !chain.is_empty(),
        "{} holds no certificate (expected PEM, -----BEGIN CERTIFICATE-----)",
        cert.display()
    );
    let private = PrivateKeyDer::from_pem_file(&key)
        .with_context(|| format!("cannot read a PEM private key from {}", key.display()))?;
    let mut config = ServerConfig::builder_with_provider(Arc::new(ring::default_provider()))
        .with_safe_default_protocol_versions()
        .context("no TLS protocol version is available")?
        .with_no_client_auth()
        .with_single_cert(chain, private)
        .with_context(|| format!("the key in {} does not fit the certificate in {}", key.display(), cert.display()))?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}

/// The certificate and key kept in `dir`, made on first use for localhost, 127.0.0.1 and
/// `address`; the key file is readable by its owner only.
fn self_made(dir: &Path, address: Option<IpAddr>) -> anyhow::Result<(PathBuf, PathBuf)> {
    let (cert, key) = (dir.join("cert.pem"), dir.join("key.pem"));
    if cert.is_file() && key.is_file() {
        return Ok((cert, key));
    }
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let mut names = vec!["localhost".to_owned(), "127.0.0.1".to_owned()];
    names.extend(address.map(|ip| ip.to_string()));
    let made = rcgen::generate_simple_self_signed(names).context("could not make a certificate")?;
    write_private(&key, made.key_pair.serialize_pem().as_bytes())?;
    std::fs::write(&cert, made.cert.pem()).with_context(|| format!("cannot write {}", cert.display()))?;
    tracing::info!(certificate = %cert.display(), "made a certificate for this computer");
    Ok((cert, key))
}

fn write_private(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    use std::io::Write as _;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path).with_context(|| format!("cannot write {}", path.display()))?;
    file.write_all(bytes).and_then(|()| file.sync_all()).with_context(|| format!("cannot write {}", path.display()))
}

/// The address another device on the network would use to reach `bound`: itself when it is a
/// specific network address, this computer's outward address when it listens on all of them,
/// and none on loopback. (Finding the outward address sends nothing: a UDP socket only picks
/// the route.)
pub fn network_address(bound: SocketAddr) -> Option<IpAddr> {
    let ip = bound.ip();
    if ip.is_loopback() {
        return None;
    }
    if !ip.is_unspecified() {
        return Some(ip);
    }
    let probe = UdpSocket::bind(("0.0.0.0", 0)).ok()?;
    probe.connect(("192.0.2.1", 9)).ok()?;
    probe.local_addr().ok().map(|a| a.ip()).filter(|ip| !ip.is_unspecified() && !ip.is_loopback())
}
