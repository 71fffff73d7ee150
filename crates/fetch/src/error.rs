//! The one error type of talentd-fetch, with stable codes for API clients.

use std::path::PathBuf;

use crate::guard::RefusedHost;

/// Why a media URL could not be fetched, or a file is not usable media.
///
/// Every message is written for an API client: URLs inside messages are
/// redacted (no userinfo, no query, no fragment), so credentials and
/// pre-signed signatures never echo back.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    /// The URL does not parse, or is not http/https with a host.
    #[error("media_url is not a usable http(s) URL: {reason}")]
    InvalidUrl {
        /// What is wrong with it.
        reason: String,
    },
    /// The URL, a redirect hop, or every address its host resolves to, is
    /// private, loopback, link-local, reserved or a cloud-metadata address.
    #[error("media_url is refused: {reason}; talentd only fetches from public internet addresses")]
    Forbidden {
        /// The redacted URL of the refused hop.
        url: String,
        /// Which address or name was refused, and through which redirect.
        reason: String,
    },
    /// DNS failed, or the connection was refused or broke.
    #[error("media_url {url} could not be reached: {detail}")]
    Unreachable {
        /// The redacted URL.
        url: String,
        /// The underlying network error.
        detail: String,
    },
    /// The server answered 404 or 410.
    #[error("media_url {url} was not found (HTTP {status})")]
    NotFound {
        /// The redacted URL.
        url: String,
        /// 404 or 410.
        status: u16,
    },
    /// The server answered another non-2xx status.
    #[error("media_url {url} answered HTTP {status}")]
    Http {
        /// The redacted URL.
        url: String,
        /// The status code.
        status: u16,
    },
    /// More redirects than the policy allows.
    #[error("media_url redirected more than {max} times")]
    TooManyRedirects {
        /// The policy's limit.
        max: usize,
    },
    /// The body is (or announced itself as) larger than the limit.
    #[error("the media is larger than the limit of {max_bytes} bytes")]
    TooLarge {
        /// The policy's limit.
        max_bytes: u64,
    },
    /// Connecting, waiting for data, or the whole download took too long.
    #[error("media_url {url} timed out {phase}")]
    Timeout {
        /// The redacted URL.
        url: String,
        /// Which limit was hit, as words ("while connecting", ...).
        phase: &'static str,
    },
    /// The body or file is empty.
    #[error("the media is empty (0 bytes)")]
    Empty,
    /// The bytes are not a recognised audio or video container.
    #[error(
        "the media is not a recognised audio or video file (expected mp3, mp4/m4a/mov, wav, ogg, webm/mkv or flac)"
    )]
    NotMedia,
    /// Reading or writing the local file failed.
    #[error("local file {path}: {source}")]
    Io {
        /// The local path.
        path: PathBuf,
        /// The operating-system error.
        #[source]
        source: std::io::Error,
    },
    /// The HTTP client could not be built (TLS backend set-up).
    #[error("the HTTP client could not be set up: {0}")]
    Client(#[source] reqwest::Error),
}

impl FetchError {
    /// The stable snake_case code of this error, for API error bodies.
    pub fn code(&self) -> &'static str {
        match self {
            FetchError::InvalidUrl { .. } => "invalid_media_url",
            FetchError::Forbidden { .. } => "media_url_forbidden",
            FetchError::Unreachable { .. } => "media_unreachable",
            FetchError::NotFound { .. } => "media_not_found",
            FetchError::Http { .. } => "media_http_error",
            FetchError::TooManyRedirects { .. } => "media_too_many_redirects",
            FetchError::TooLarge { .. } => "media_too_large",
            FetchError::Timeout { .. } => "media_timeout",
            FetchError::Empty => "media_empty",
            FetchError::NotMedia => "unsupported_media",
            FetchError::Io { .. } => "media_io",
            FetchError::Client(_) => "http_client_setup",
        }
    }
}

impl FetchError {
    /// Maps a reqwest failure for a request to `url` to a client-facing
    /// error: a host the guarded resolver refused becomes
    /// `media_url_forbidden`, timeouts `media_timeout`, anything else
    /// `media_unreachable`. reqwest's own message is not reused, since it
    /// names the full URL (query included).
    pub fn from_reqwest(err: reqwest::Error, url: &url::Url) -> FetchError {
        FetchError::from_reqwest_in(err, url, "while waiting for the response")
    }

    pub(crate) fn from_reqwest_in(
        err: reqwest::Error,
        url: &url::Url,
        phase: &'static str,
    ) -> FetchError {
        let mut source: Option<&(dyn std::error::Error + 'static)> = Some(&err);
        let mut root = String::new();
        while let Some(e) = source {
            if let Some(refused) = e.downcast_ref::<RefusedHost>() {
                return FetchError::Forbidden {
                    url: redact(url),
                    reason: refused.reason.clone(),
                };
            }
            root = e.to_string();
            source = e.source();
        }
        if err.is_timeout() {
            let phase = if err.is_connect() {
                "while connecting"
            } else {
                phase
            };
            return FetchError::Timeout {
                url: redact(url),
                phase,
            };
        }
        // Without a deeper cause the only text is reqwest's own, which names
        // the full URL.
        let detail = if std::error::Error::source(&err).is_none() {
            "the connection failed".to_owned()
        } else {
            root
        };
        FetchError::Unreachable {
            url: redact(url),
            detail,
        }
    }
}

/// The URL as it may appear in messages and logs: scheme, host, port and
/// path only. Userinfo, query and fragment can hold credentials or
/// signatures, so they are dropped.
pub fn redact(url: &url::Url) -> String {
    let mut out = format!("{}://", url.scheme());
    match url.host() {
        Some(url::Host::Ipv6(ip)) => out.push_str(&format!("[{ip}]")),
        Some(host) => out.push_str(&host.to_string()),
        None => {}
    }
    if let Some(port) = url.port() {
        out.push_str(&format!(":{port}"));
    }
    out.push_str(url.path());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redact_drops_credentials_query_and_fragment() {
        let url = url::Url::parse("https://user:secret@media.example.com:8443/a/b.mp3?sig=abc#x")
            .expect("valid");
        assert_eq!(redact(&url), "https://media.example.com:8443/a/b.mp3");
        let url = url::Url::parse("http://[::1]/x?token=1").expect("valid");
        assert_eq!(redact(&url), "http://[::1]/x");
    }
}
