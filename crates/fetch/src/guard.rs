//! Address policy against server-side request forgery.
//!
//! Two checks cover every way a request can reach an address:
//! - hostnames go through [`GuardedResolver`], which resolves them and keeps
//!   only permitted addresses, so the connection is made to an address that
//!   was checked (no second resolution between check and connect);
//! - IP-literal hosts never reach a resolver, so [`Guard::check_url`] checks
//!   them before each request (every redirect hop included).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use url::{Host, Url};

use crate::error::{FetchError, redact};

/// Cloud instance-metadata and host-agent endpoints: refused even when
/// private addresses are allowed, since they hand out credentials.
const METADATA: [IpAddr; 7] = [
    // AWS, GCP, Azure, Oracle, OpenStack, DigitalOcean.
    IpAddr::V4(Ipv4Addr::new(169, 254, 169, 254)),
    // AWS ECS task metadata and EKS pod identity.
    IpAddr::V4(Ipv4Addr::new(169, 254, 170, 2)),
    IpAddr::V4(Ipv4Addr::new(169, 254, 170, 23)),
    // Alibaba Cloud.
    IpAddr::V4(Ipv4Addr::new(100, 100, 100, 200)),
    // Azure WireServer (a public-looking address only reachable from the VM).
    IpAddr::V4(Ipv4Addr::new(168, 63, 129, 16)),
    // AWS metadata and EKS pod identity over IPv6.
    IpAddr::V6(Ipv6Addr::new(0xfd00, 0x0ec2, 0, 0, 0, 0, 0, 0x0254)),
    IpAddr::V6(Ipv6Addr::new(0xfd00, 0x0ec2, 0, 0, 0, 0, 0, 0x0023)),
];

/// True when `ip` must not be fetched from a public service: loopback,
/// private, shared (CGNAT), link-local, multicast, unspecified, broadcast,
/// documentation, benchmarking and reserved ranges, IPv6 unique-local and
/// site-local, anything outside IPv6 global unicast, cloud-metadata
/// addresses, and IPv4-mapped, IPv4-compatible, NAT64 or 6to4 forms of any
/// forbidden IPv4 address.
pub fn is_forbidden(ip: IpAddr) -> bool {
    match canonical(ip) {
        IpAddr::V4(v4) => v4_forbidden(v4),
        IpAddr::V6(v6) => v6_forbidden(v6),
    }
}

/// The IPv4 address an IPv6 address stands for, where it embeds one that
/// the connection actually reaches: IPv4-mapped (`::ffff:a.b.c.d`),
/// IPv4-compatible (`::a.b.c.d`, but not `::` or `::1`) and the NAT64
/// well-known prefix (`64:ff9b::/96`).
fn canonical(ip: IpAddr) -> IpAddr {
    let IpAddr::V6(v6) = ip else { return ip };
    if let Some(v4) = v6.to_ipv4_mapped() {
        return IpAddr::V4(v4);
    }
    let s = v6.segments();
    let low = Ipv4Addr::new((s[6] >> 8) as u8, s[6] as u8, (s[7] >> 8) as u8, s[7] as u8);
    if s[..6] == [0; 6] && !v6.is_unspecified() && !v6.is_loopback() {
        return IpAddr::V4(low);
    }
    if s[..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
        return IpAddr::V4(low);
    }
    ip
}

fn v4_forbidden(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    METADATA.contains(&IpAddr::V4(ip))
        || a == 0 // "this network", 0.0.0.0 included
        || a == 10
        || (a == 100 && (64..128).contains(&b)) // shared address space (CGNAT)
        || a == 127
        || (a == 169 && b == 254)
        || (a == 172 && (16..32).contains(&b))
        || (a == 192 && b == 0 && c == 0) // IETF protocol assignments
        || (a == 192 && b == 0 && c == 2) // TEST-NET-1
        || (a == 192 && b == 88 && c == 99) // 6to4 relay anycast
        || (a == 192 && b == 168)
        || (a == 198 && (b == 18 || b == 19)) // benchmarking
        || (a == 198 && b == 51 && c == 100) // TEST-NET-2
        || (a == 203 && b == 0 && c == 113) // TEST-NET-3
        || a >= 224 // multicast, reserved, broadcast
}

fn v6_forbidden(ip: Ipv6Addr) -> bool {
    let s = ip.segments();
    if METADATA.contains(&IpAddr::V6(ip)) {
        return true;
    }
    // Only 2000::/3 is global unicast; the rest (loopback, unspecified,
    // unique-local fc00::/7, link-local fe80::/10, site-local, multicast,
    // discard, local-use NAT64, reserved) is never a public media host.
    if s[0] & 0xe000 != 0x2000 {
        return true;
    }
    // IETF protocol assignments (Teredo, benchmarking, ORCHID, ...).
    if s[0] == 0x2001 && s[1] < 0x0200 {
        return true;
    }
    // Documentation: 2001:db8::/32 and 3fff::/20.
    if (s[0] == 0x2001 && s[1] == 0x0db8) || (s[0] & 0xfff0) == 0x3ff0 {
        return true;
    }
    // 6to4 carries the IPv4 address it tunnels to.
    if s[0] == 0x2002 {
        let v4 = Ipv4Addr::new((s[1] >> 8) as u8, s[1] as u8, (s[2] >> 8) as u8, s[2] as u8);
        return v4_forbidden(v4);
    }
    false
}

/// Addresses no deployment may fetch from, whatever its settings: cloud
/// metadata, the unspecified address (which Linux connects to the local
/// host), "this network", multicast and broadcast.
fn always_forbidden(ip: IpAddr) -> bool {
    match canonical(ip) {
        ip @ IpAddr::V4(v4) => {
            METADATA.contains(&ip) || v4.octets()[0] == 0 || v4.octets()[0] >= 224
        }
        ip @ IpAddr::V6(v6) => METADATA.contains(&ip) || v6.is_unspecified() || v6.is_multicast(),
    }
}

/// The address policy of one deployment.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Guard {
    allow_private: bool,
}

impl Guard {
    /// A guard; `allow_private` lets a self-hosted deployment fetch from its
    /// own network (loopback, private, link-local, unique-local). Cloud
    /// metadata, unspecified, multicast and broadcast addresses stay refused.
    pub fn new(allow_private: bool) -> Self {
        Guard { allow_private }
    }

    /// Whether private addresses are allowed.
    pub fn allow_private(&self) -> bool {
        self.allow_private
    }

    /// Whether a connection to `ip` is allowed.
    pub fn permits(&self, ip: IpAddr) -> bool {
        if self.allow_private {
            !always_forbidden(ip)
        } else {
            !is_forbidden(ip)
        }
    }

    /// Checks one request target (the first URL or any redirect hop) before
    /// it is sent: http/https with a host, and, where the host is an IP
    /// literal (which no resolver sees), a permitted address. `localhost`
    /// names are refused here too, without waiting for DNS.
    pub fn check_url(&self, url: &Url) -> Result<(), FetchError> {
        if !matches!(url.scheme(), "http" | "https") {
            return Err(FetchError::InvalidUrl {
                reason: format!("scheme {:?} is not http or https", url.scheme()),
            });
        }
        let refused = |reason: String| FetchError::Forbidden {
            url: redact(url),
            reason,
        };
        match url.host() {
            None => Err(FetchError::InvalidUrl {
                reason: "it has no host".into(),
            }),
            Some(Host::Ipv4(v4)) => self.check_ip(IpAddr::V4(v4)).map_err(refused),
            Some(Host::Ipv6(v6)) => self.check_ip(IpAddr::V6(v6)).map_err(refused),
            Some(Host::Domain(name)) => {
                let name = name.trim_end_matches('.').to_ascii_lowercase();
                if !self.allow_private && (name == "localhost" || name.ends_with(".localhost")) {
                    Err(refused(format!("{name} is the local machine")))
                } else {
                    Ok(())
                }
            }
        }
    }

    fn check_ip(&self, ip: IpAddr) -> Result<(), String> {
        if self.permits(ip) {
            Ok(())
        } else if METADATA.contains(&canonical(ip)) {
            Err(format!("{ip} is a cloud metadata address"))
        } else {
            Err(format!("{ip} is not a public address"))
        }
    }

    /// A DNS resolver for reqwest that applies this guard.
    pub fn resolver(&self) -> Arc<GuardedResolver> {
        Arc::new(GuardedResolver { guard: *self })
    }
}

/// A reqwest resolver that resolves with the system resolver (through tokio)
/// and drops every address the guard refuses; it fails when none remain.
#[derive(Debug, Clone)]
pub struct GuardedResolver {
    guard: Guard,
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let guard = self.guard;
        let host = name.as_str().to_owned();
        Box::pin(async move {
            let found: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let kept: Vec<SocketAddr> = found
                .iter()
                .copied()
                .filter(|addr| guard.permits(addr.ip()))
                .collect();
            if kept.is_empty() {
                let shown: Vec<String> = found.iter().map(|a| a.ip().to_string()).collect();
                return Err(Box::new(RefusedHost {
                    reason: format!(
                        "{host} resolves only to non-public addresses ({})",
                        shown.join(", ")
                    ),
                })
                    as Box<dyn std::error::Error + Send + Sync>);
            }
            Ok(Box::new(kept.into_iter()) as Addrs)
        })
    }
}

/// The resolver's refusal; found again in reqwest's error chain so the
/// caller can tell a refused host from an unreachable one.
#[derive(Debug)]
pub(crate) struct RefusedHost {
    pub(crate) reason: String,
}

impl std::fmt::Display for RefusedHost {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.reason)
    }
}

impl std::error::Error for RefusedHost {}

/// A reqwest client builder wired to `guard`: guarded DNS, no proxies (a
/// proxy would resolve and connect on our behalf, unchecked), no automatic
/// redirects (callers follow them and check every hop), and the given
/// connect and per-read timeouts. Callers may add settings before `build`.
pub fn client_builder(
    guard: &Guard,
    connect_timeout: Duration,
    read_timeout: Duration,
) -> reqwest::ClientBuilder {
    reqwest::Client::builder()
        .dns_resolver(guard.resolver())
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(connect_timeout)
        .read_timeout(read_timeout)
        .user_agent(concat!("talentd/", env!("CARGO_PKG_VERSION")))
}

/// [`client_builder`], built.
pub fn client(
    guard: &Guard,
    connect_timeout: Duration,
    read_timeout: Duration,
) -> Result<reqwest::Client, FetchError> {
    client_builder(guard, connect_timeout, read_timeout)
        .build()
        .map_err(FetchError::Client)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("test address")
    }

    #[test]
    fn refuses_non_public_addresses() {
        for s in [
            "127.0.0.1",
            "127.255.0.9",
            "0.0.0.0",
            "0.1.2.3",
            "10.0.0.1",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "100.64.0.1",
            "100.127.255.254",
            "169.254.0.1",
            "169.254.169.254",
            "100.100.100.200",
            "168.63.129.16",
            "192.0.0.170",
            "192.0.2.1",
            "198.18.0.1",
            "198.19.255.1",
            "198.51.100.7",
            "203.0.113.9",
            "224.0.0.1",
            "239.255.255.250",
            "240.0.0.1",
            "255.255.255.255",
            "::",
            "::1",
            "fe80::1",
            "fc00::1",
            "fd12:3456::1",
            "fd00:ec2::254",
            "fec0::1",
            "ff02::1",
            "100::1",
            "::ffff:127.0.0.1",
            "::ffff:10.1.2.3",
            "::ffff:169.254.169.254",
            "::127.0.0.1",
            "::ffff:0:127.0.0.1",
            "64:ff9b::127.0.0.1",
            "64:ff9b::a9fe:a9fe",
            "64:ff9b:1::1.2.3.4",
            "2001:db8::1",
            "2001::1",
            "2001:2::1",
            "3fff::1",
            "2002:7f00:1::1",
            "2002:c0a8:101::1",
            "5f00::1",
        ] {
            assert!(is_forbidden(ip(s)), "{s} should be forbidden");
            assert!(!Guard::new(false).permits(ip(s)), "{s} should be refused");
        }
    }

    #[test]
    fn allows_public_addresses() {
        for s in [
            "1.1.1.1",
            "8.8.8.8",
            "93.184.215.14",
            "172.15.255.255",
            "172.32.0.1",
            "100.63.255.255",
            "100.128.0.1",
            "192.169.0.1",
            "169.253.1.1",
            "2606:4700:4700::1111",
            "2a00:1450:4001:80e::200e",
            "::ffff:8.8.8.8",
            "64:ff9b::808:808",
            "2002:808:808::1",
        ] {
            assert!(!is_forbidden(ip(s)), "{s} should be allowed");
            assert!(Guard::new(false).permits(ip(s)), "{s} should be permitted");
        }
    }

    #[test]
    fn allow_private_still_refuses_metadata_and_unusable() {
        let guard = Guard::new(true);
        for s in [
            "127.0.0.1",
            "::1",
            "10.0.0.1",
            "192.168.0.10",
            "fd12::1",
            "169.254.1.1",
        ] {
            assert!(
                guard.permits(ip(s)),
                "{s} should be permitted with allow_private"
            );
        }
        for s in [
            "169.254.169.254",
            "::ffff:169.254.169.254",
            "fd00:ec2::254",
            "100.100.100.200",
            "0.0.0.0",
            "::",
            "224.0.0.1",
            "ff02::1",
            "255.255.255.255",
        ] {
            assert!(!guard.permits(ip(s)), "{s} should stay refused");
        }
    }

    #[test]
    fn check_url_refuses_literals_and_localhost() {
        let guard = Guard::new(false);
        for s in [
            "http://127.0.0.1:8080/a.mp3",
            "http://2130706433/",
            "http://0x7f.1/",
            "http://[::1]/",
            "http://[::ffff:127.0.0.1]/",
            "https://169.254.169.254/latest/meta-data",
            "http://localhost/",
            "http://LOCALHOST./",
            "http://api.localhost/",
        ] {
            let url = Url::parse(s).expect("valid test URL");
            let err = guard.check_url(&url).expect_err(s);
            assert_eq!(err.code(), "media_url_forbidden", "{s}");
        }
        for s in ["https://media.example.com/a.mp3", "http://8.8.8.8/x"] {
            let url = Url::parse(s).expect("valid test URL");
            assert!(guard.check_url(&url).is_ok(), "{s}");
        }
        let ftp = Url::parse("ftp://example.com/a.mp3").expect("valid test URL");
        assert_eq!(
            guard.check_url(&ftp).expect_err("ftp").code(),
            "invalid_media_url"
        );
        let open = Guard::new(true);
        assert!(
            open.check_url(&Url::parse("http://localhost:1/").expect("valid"))
                .is_ok()
        );
        assert!(
            open.check_url(&Url::parse("http://169.254.169.254/").expect("valid"))
                .is_err()
        );
    }

    #[tokio::test]
    async fn resolver_drops_loopback() {
        let resolver = Guard::new(false).resolver();
        let name: Name = "localhost".parse().expect("name");
        let err = match resolver.resolve(name).await {
            Ok(_) => panic!("localhost must not resolve to a permitted address"),
            Err(err) => err,
        };
        assert!(err.downcast_ref::<RefusedHost>().is_some(), "{err}");

        let resolver = Guard::new(true).resolver();
        let name: Name = "localhost".parse().expect("name");
        let addrs: Vec<SocketAddr> = resolver.resolve(name).await.expect("resolves").collect();
        assert!(addrs.iter().all(|a| a.ip().is_loopback()) && !addrs.is_empty());
    }
}
