//! Media downloads: redirects followed by hand with every hop checked, the
//! body streamed to disk under size and time limits, then sniffed.

use std::io::Read;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::LOCATION;
use tokio::io::AsyncWriteExt;
use url::Url;

use crate::error::{FetchError, redact};
use crate::guard::{self, Guard};
use crate::sniff::{MediaKind, SNIFF_LEN, sniff};

/// Limits for one download.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchPolicy {
    /// The largest body accepted, in bytes (default 2 GiB).
    pub max_bytes: u64,
    /// Whether private and loopback addresses may be fetched (default false;
    /// for self-hosted deployments whose media lives on their own network).
    pub allow_private: bool,
    /// Limit for establishing a connection (default 10 s).
    pub connect_timeout: Duration,
    /// Longest silence while waiting for the response or between body
    /// chunks (default 30 s).
    pub read_timeout: Duration,
    /// Limit for the whole download, redirects included (default 30 min).
    pub total_timeout: Duration,
    /// How many redirects are followed (default 5).
    pub max_redirects: usize,
}

impl Default for FetchPolicy {
    fn default() -> Self {
        FetchPolicy {
            max_bytes: 2 * 1024 * 1024 * 1024,
            allow_private: false,
            connect_timeout: Duration::from_secs(10),
            read_timeout: Duration::from_secs(30),
            total_timeout: Duration::from_secs(30 * 60),
            max_redirects: 5,
        }
    }
}

/// A finished download.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fetched {
    /// Bytes written to the destination.
    pub bytes: u64,
    /// The container the bytes hold.
    pub kind: MediaKind,
    /// The URL the body came from after redirects, without userinfo.
    pub final_url: String,
}

/// Downloads media under a [`FetchPolicy`]. Cheap to share: it holds one
/// connection pool.
#[derive(Debug, Clone)]
pub struct Fetcher {
    policy: FetchPolicy,
    guard: Guard,
    client: reqwest::Client,
}

impl Fetcher {
    /// A fetcher with its own guarded HTTP client.
    pub fn new(policy: FetchPolicy) -> Result<Self, FetchError> {
        let guard = Guard::new(policy.allow_private);
        let client = guard::client(&guard, policy.connect_timeout, policy.read_timeout)?;
        Ok(Fetcher {
            policy,
            guard,
            client,
        })
    }

    /// The policy this fetcher applies.
    pub fn policy(&self) -> &FetchPolicy {
        &self.policy
    }

    /// Downloads `url` into `dest` (created or truncated), calling
    /// `progress(bytes_so_far, content_length)` after each chunk, and
    /// checks that the bytes are audio or video. On any failure a file this
    /// call created at `dest` is removed.
    pub async fn fetch_to(
        &self,
        url: &str,
        dest: &Path,
        progress: &(dyn Fn(u64, Option<u64>) + Send + Sync),
    ) -> Result<Fetched, FetchError> {
        let created = AtomicBool::new(false);
        let url = check_url(url)?;
        let shown = redact(&url);
        let outcome = tokio::time::timeout(
            self.policy.total_timeout,
            self.download(url, dest, progress, &created),
        )
        .await
        .unwrap_or_else(|_| {
            Err(FetchError::Timeout {
                url: shown,
                phase: "before the whole download finished",
            })
        });
        if outcome.is_err() && created.load(Ordering::SeqCst) {
            // Best effort: the file may already be gone.
            let _ = tokio::fs::remove_file(dest).await;
        }
        outcome
    }

    async fn download(
        &self,
        mut url: Url,
        dest: &Path,
        progress: &(dyn Fn(u64, Option<u64>) + Send + Sync),
        created: &AtomicBool,
    ) -> Result<Fetched, FetchError> {
        let mut redirects = 0;
        let mut response = loop {
            let sent = match self.guard.check_url(&url) {
                Ok(()) => self.client.get(url.clone()).send().await.map_err(|e| {
                    FetchError::from_reqwest_in(e, &url, "while waiting for the response")
                }),
                Err(e) => Err(e),
            };
            let response = sent.map_err(|e| if redirects > 0 { via_redirect(e) } else { e })?;
            let status = response.status();
            if !is_redirect(status) {
                break response;
            }
            let location = response
                .headers()
                .get(LOCATION)
                .and_then(|v| v.to_str().ok())
                .ok_or_else(|| FetchError::Http {
                    url: redact(&url),
                    status: status.as_u16(),
                })?;
            if redirects >= self.policy.max_redirects {
                return Err(FetchError::TooManyRedirects {
                    max: self.policy.max_redirects,
                });
            }
            redirects += 1;
            url = next_hop(&self.guard, &url, location)?;
        };

        let status = response.status();
        if status == StatusCode::NOT_FOUND || status == StatusCode::GONE {
            return Err(FetchError::NotFound {
                url: redact(&url),
                status: status.as_u16(),
            });
        }
        if !status.is_success() {
            return Err(FetchError::Http {
                url: redact(&url),
                status: status.as_u16(),
            });
        }
        let max_bytes = self.policy.max_bytes;
        let announced = response.content_length();
        if announced.is_some_and(|n| n > max_bytes) {
            return Err(FetchError::TooLarge { max_bytes });
        }

        let io = |source| FetchError::Io {
            path: dest.to_path_buf(),
            source,
        };
        let mut file = tokio::fs::File::create(dest).await.map_err(io)?;
        created.store(true, Ordering::SeqCst);
        let mut head: Vec<u8> = Vec::with_capacity(SNIFF_LEN);
        let mut kind = None;
        let mut bytes: u64 = 0;
        loop {
            let chunk = tokio::time::timeout(self.policy.read_timeout, response.chunk())
                .await
                .map_err(|_| FetchError::Timeout {
                    url: redact(&url),
                    phase: "waiting for more data",
                })?
                .map_err(|e| FetchError::from_reqwest_in(e, &url, "waiting for more data"))?;
            let Some(chunk) = chunk else { break };
            bytes = bytes.saturating_add(chunk.len() as u64);
            if bytes > max_bytes {
                return Err(FetchError::TooLarge { max_bytes });
            }
            if head.len() < SNIFF_LEN {
                let take = chunk.len().min(SNIFF_LEN - head.len());
                head.extend_from_slice(&chunk[..take]);
                // Refuse a non-media body as soon as its start is known,
                // rather than after downloading all of it.
                if head.len() == SNIFF_LEN {
                    kind = Some(sniff(&head).ok_or(FetchError::NotMedia)?);
                }
            }
            file.write_all(&chunk).await.map_err(io)?;
            progress(bytes, announced);
        }
        file.flush().await.map_err(io)?;
        drop(file);
        if bytes == 0 {
            return Err(FetchError::Empty);
        }
        let kind = match kind {
            Some(kind) => kind,
            None => sniff(&head).ok_or(FetchError::NotMedia)?,
        };
        let mut final_url = url;
        // Credentials stay out of what callers store or show.
        let _ = final_url.set_username("");
        let _ = final_url.set_password(None);
        Ok(Fetched {
            bytes,
            kind,
            final_url: final_url.into(),
        })
    }
}

fn is_redirect(status: StatusCode) -> bool {
    matches!(
        status,
        StatusCode::MOVED_PERMANENTLY
            | StatusCode::FOUND
            | StatusCode::SEE_OTHER
            | StatusCode::TEMPORARY_REDIRECT
            | StatusCode::PERMANENT_REDIRECT
    )
}

/// The next request target after a redirect from `current` to `location`:
/// resolved against `current`, checked like the first URL (scheme, host,
/// literal address), and stripped of credentials when it leaves the
/// origin they were given for.
pub fn next_hop(guard: &Guard, current: &Url, location: &str) -> Result<Url, FetchError> {
    let mut next = current.join(location).map_err(|e| FetchError::InvalidUrl {
        reason: format!(
            "a redirect from {} has a bad location: {e}",
            redact(current)
        ),
    })?;
    next.set_fragment(None);
    if next.origin() != current.origin() {
        let _ = next.set_username("");
        let _ = next.set_password(None);
    }
    guard.check_url(&next).map_err(via_redirect)?;
    Ok(next)
}

/// Says in an error that a redirect, not the client's own URL, led there.
fn via_redirect(err: FetchError) -> FetchError {
    match err {
        FetchError::Forbidden { url, reason } => FetchError::Forbidden {
            reason: format!("a redirect led to {url}, where {reason}"),
            url,
        },
        FetchError::InvalidUrl { reason } => FetchError::InvalidUrl {
            reason: format!("a redirect led to an unusable URL: {reason}"),
        },
        other => other,
    }
}

/// Parses a media URL and checks its syntax only (no DNS): http or https,
/// with a host. Userinfo is allowed; it is sent as basic auth to that
/// origin only.
pub fn check_url(url: &str) -> Result<Url, FetchError> {
    let url = url.trim();
    if url.is_empty() {
        return Err(FetchError::InvalidUrl {
            reason: "it is empty".into(),
        });
    }
    let mut parsed = Url::parse(url).map_err(|e| FetchError::InvalidUrl {
        reason: e.to_string(),
    })?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(FetchError::InvalidUrl {
            reason: format!("scheme {:?} is not http or https", parsed.scheme()),
        });
    }
    if parsed.host_str().is_none_or(str::is_empty) {
        return Err(FetchError::InvalidUrl {
            reason: "it has no host".into(),
        });
    }
    // The fragment is never sent; dropping it keeps hops comparable.
    parsed.set_fragment(None);
    Ok(parsed)
}

/// Sniffs a local (uploaded) file: its container, or `media_empty` /
/// `unsupported_media` / `media_io`.
pub fn sniff_file(path: &Path) -> Result<MediaKind, FetchError> {
    let io = |source| FetchError::Io {
        path: path.to_path_buf(),
        source,
    };
    let file = std::fs::File::open(path).map_err(io)?;
    let mut head = Vec::with_capacity(SNIFF_LEN);
    file.take(SNIFF_LEN as u64)
        .read_to_end(&mut head)
        .map_err(io)?;
    if head.is_empty() {
        return Err(FetchError::Empty);
    }
    sniff(&head).ok_or(FetchError::NotMedia)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_url_syntax() {
        for bad in [
            "",
            "   ",
            "not a url",
            "/relative/path.mp3",
            "ftp://example.com/a.mp3",
            "file:///etc/passwd",
            "gopher://example.com/",
            "data:audio/mpeg;base64,AAAA",
            "http://",
            "https://exa mple.com/",
        ] {
            let err = check_url(bad).expect_err(bad);
            assert_eq!(err.code(), "invalid_media_url", "{bad}");
        }
        // Syntax only: private addresses pass here, the guard refuses them.
        for good in [
            "https://media.example.com/a.mp3?sig=1",
            "http://127.0.0.1:9/x",
            "http://user:pw@example.com/a.mp3",
        ] {
            assert!(check_url(good).is_ok(), "{good}");
        }
    }

    #[test]
    fn next_hop_refuses_private_targets_without_allow_private() {
        let guard = Guard::new(false);
        let from = Url::parse("https://media.example.com/start?sig=1").expect("valid");
        for location in [
            "http://127.0.0.1/latest",
            "http://127.0.0.1:8080/a.mp3",
            "http://169.254.169.254/latest/meta-data",
            "http://[::1]/",
            "http://[::ffff:127.0.0.1]/",
            "http://[fd00:ec2::254]/",
            "http://10.0.0.1/a.mp3",
            "http://localhost/a.mp3",
            "//192.168.0.1/a.mp3",
        ] {
            let err = next_hop(&guard, &from, location).expect_err(location);
            assert_eq!(err.code(), "media_url_forbidden", "{location}");
            assert!(!err.to_string().contains("sig="), "{err}");
            assert!(err.to_string().contains("a redirect led to"), "{err}");
        }
        let err = next_hop(&guard, &from, "ftp://media.example.com/a").expect_err("ftp");
        assert_eq!(err.code(), "invalid_media_url");
        let ok = next_hop(&guard, &from, "/files/a.mp3").expect("same host");
        assert_eq!(ok.as_str(), "https://media.example.com/files/a.mp3");
    }

    #[test]
    fn next_hop_keeps_credentials_on_the_same_origin_only() {
        let guard = Guard::new(false);
        let from = Url::parse("https://u:p@media.example.com/a").expect("valid");
        let same = next_hop(&guard, &from, "/b").expect("same origin");
        assert_eq!(same.username(), "u");
        let other = next_hop(&guard, &from, "https://cdn.example.net/b").expect("other");
        assert_eq!(other.username(), "");
        assert_eq!(other.password(), None);
        let downgrade = next_hop(&guard, &from, "http://media.example.com/b").expect("http");
        assert_eq!(downgrade.username(), "");
    }
}
