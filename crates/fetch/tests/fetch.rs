//! Downloads against a real in-process HTTP server on loopback.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Path as UrlPath, Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures_util::stream;
use talentd_fetch::{FetchError, FetchPolicy, Fetcher, Guard, MediaKind, guard, sniff_file};

/// A real MP3, synthesised once per test run.
fn mp3() -> &'static [u8] {
    static MP3: OnceLock<Vec<u8>> = OnceLock::new();
    MP3.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        let wav = dir.path().join("x.wav");
        let out = dir.path().join("x.mp3");
        let status = Command::new("espeak-ng")
            .arg("-w")
            .arg(&wav)
            .arg("hello, thank you for joining this interview")
            .status()
            .expect("espeak-ng runs");
        assert!(status.success(), "espeak-ng failed");
        let status = Command::new("ffmpeg")
            .args(["-loglevel", "error", "-y", "-i"])
            .arg(&wav)
            .arg(&out)
            .status()
            .expect("ffmpeg runs");
        assert!(status.success(), "ffmpeg failed");
        std::fs::read(&out).expect("mp3 written")
    })
}

/// An MPEG frame header followed by filler: sniffs as MP3.
fn mp3_like(len: usize) -> Vec<u8> {
    let mut v = vec![0xff, 0xfb, 0x90, 0x64];
    v.resize(len, 0x55);
    v
}

#[derive(Clone)]
struct Shared {
    hits: Arc<AtomicUsize>,
    addr: SocketAddr,
}

async fn count(State(shared): State<Shared>, req: Request, next: Next) -> Response {
    shared.hits.fetch_add(1, Ordering::SeqCst);
    next.run(req).await
}

fn redirect(to: String) -> Response {
    (StatusCode::FOUND, [(header::LOCATION, to)], "").into_response()
}

async fn hop(UrlPath(n): UrlPath<u32>) -> Response {
    if n == 0 {
        mp3().to_vec().into_response()
    } else {
        redirect(format!("/hop/{}", n - 1))
    }
}

/// Starts the file server; returns its address and its request counter.
async fn serve() -> (SocketAddr, Arc<AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("local addr");
    let hits = Arc::new(AtomicUsize::new(0));
    let shared = Shared {
        hits: hits.clone(),
        addr,
    };
    let app = Router::new()
        .route("/a.mp3", get(|| async { mp3().to_vec() }))
        .route(
            "/page.html",
            get(|| async {
                (
                    [(header::CONTENT_TYPE, "text/html")],
                    "<!DOCTYPE html><html><body>Sign in to view this recording</body></html>",
                )
            }),
        )
        .route(
            "/json",
            get(|| async {
                (
                    [(header::CONTENT_TYPE, "audio/mpeg")],
                    "{\"error\":\"expired\"}",
                )
            }),
        )
        .route(
            "/empty",
            get(|| async { ([(header::CONTENT_TYPE, "audio/mpeg")], "") }),
        )
        .route("/gone", get(|| async { StatusCode::GONE }))
        .route("/busy", get(|| async { StatusCode::SERVICE_UNAVAILABLE }))
        .route("/big", get(|| async { mp3_like(64 * 1024) }))
        .route(
            "/big-stream",
            get(|| async {
                // No Content-Length: 16 chunks of 4 KiB.
                let chunks = (0..16).map(|i| {
                    let chunk = if i == 0 {
                        mp3_like(4096)
                    } else {
                        vec![0x55; 4096]
                    };
                    Ok::<_, Infallible>(Bytes::from(chunk))
                });
                Body::from_stream(stream::iter(chunks))
            }),
        )
        .route(
            "/endless-html",
            get(|| async {
                let chunks = stream::repeat_with(|| {
                    Ok::<_, Infallible>(Bytes::from_static(b"<html><body><p>loading</p>"))
                });
                Body::from_stream(chunks)
            }),
        )
        .route(
            "/stall-body",
            get(|| async {
                // One chunk, then silence far longer than the read timeout.
                let chunks = stream::unfold(0, |i| async move {
                    if i == 0 {
                        Some((Ok::<_, Infallible>(Bytes::from(mp3_like(1024))), 1))
                    } else {
                        tokio::time::sleep(Duration::from_secs(30)).await;
                        None
                    }
                });
                Body::from_stream(chunks)
            }),
        )
        .route(
            "/stall-head",
            get(|| async {
                tokio::time::sleep(Duration::from_secs(30)).await;
                mp3().to_vec()
            }),
        )
        .route(
            "/trickle",
            get(|| async {
                // Never idle for long, never finished.
                let chunks = stream::unfold(0u32, |i| async move {
                    if i > 0 {
                        tokio::time::sleep(Duration::from_millis(50)).await;
                    }
                    let chunk = if i == 0 {
                        mp3_like(SNIFF)
                    } else {
                        vec![0x55; 512]
                    };
                    Some((Ok::<_, Infallible>(Bytes::from(chunk)), i + 1))
                });
                Body::from_stream(chunks)
            }),
        )
        .route("/hop/{n}", get(hop))
        .route(
            "/to-loopback",
            get(|State(s): State<Shared>| async move {
                redirect(format!("http://127.0.0.1:{}/a.mp3", s.addr.port()))
            }),
        )
        .route(
            "/to-localhost",
            get(|State(s): State<Shared>| async move {
                redirect(format!("http://localhost:{}/a.mp3", s.addr.port()))
            }),
        )
        .route(
            "/to-metadata",
            get(|| async { redirect("http://169.254.169.254/latest/meta-data/".into()) }),
        )
        .route(
            "/to-ftp",
            get(|| async { redirect("ftp://127.0.0.1/a.mp3".into()) }),
        )
        .route("/no-location", get(|| async { StatusCode::FOUND }))
        .layer(middleware::from_fn_with_state(shared.clone(), count))
        .with_state(shared);
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (addr, hits)
}

const SNIFF: usize = talentd_fetch::SNIFF_LEN;

fn open_policy() -> FetchPolicy {
    FetchPolicy {
        allow_private: true,
        ..FetchPolicy::default()
    }
}

fn fetcher(policy: FetchPolicy) -> Fetcher {
    Fetcher::new(policy).expect("fetcher")
}

fn no_progress(_: u64, _: Option<u64>) {}

/// Fetches `url` into a fresh temp dir, expecting failure with `code`;
/// checks that no file is left behind.
async fn expect_code(f: &Fetcher, url: &str, code: &str) -> FetchError {
    let dir = tempfile::tempdir().expect("temp dir");
    let dest = dir.path().join("media.bin");
    let err = f
        .fetch_to(url, &dest, &no_progress)
        .await
        .expect_err(&format!("{url} should fail with {code}"));
    assert_eq!(err.code(), code, "{url}: {err}");
    assert!(!dest.exists(), "{url}: partial file left behind");
    assert_eq!(
        std::fs::read_dir(dir.path()).expect("read dir").count(),
        0,
        "{url}: stray files"
    );
    err
}

#[tokio::test]
async fn downloads_and_sniffs_a_real_mp3_with_progress() {
    let (addr, hits) = serve().await;
    let f = fetcher(open_policy());
    let dir = tempfile::tempdir().expect("temp dir");
    let dest = dir.path().join("rec.mp3");
    let seen: Mutex<Vec<(u64, Option<u64>)>> = Mutex::new(Vec::new());
    let progress = |n: u64, total: Option<u64>| seen.lock().expect("lock").push((n, total));
    let got = f
        .fetch_to(
            &format!("http://127.0.0.1:{}/a.mp3", addr.port()),
            &dest,
            &progress,
        )
        .await
        .expect("download");
    let expected = mp3();
    assert_eq!(got.kind, MediaKind::Mp3);
    assert_eq!(got.bytes, expected.len() as u64);
    assert_eq!(
        got.final_url,
        format!("http://127.0.0.1:{}/a.mp3", addr.port())
    );
    assert_eq!(std::fs::read(&dest).expect("dest"), expected);
    let seen = seen.into_inner().expect("lock");
    assert!(!seen.is_empty());
    assert!(seen.windows(2).all(|w| w[0].0 < w[1].0), "{seen:?}");
    let len = expected.len() as u64;
    assert_eq!(seen.last(), Some(&(len, Some(len))));
    assert_eq!(hits.load(Ordering::SeqCst), 1);
    assert_eq!(sniff_file(&dest).expect("sniff file"), MediaKind::Mp3);
}

#[tokio::test]
async fn http_failures_have_their_codes_and_leave_no_file() {
    let (addr, _) = serve().await;
    let base = format!("http://127.0.0.1:{}", addr.port());
    let f = fetcher(open_policy());
    expect_code(&f, &format!("{base}/missing"), "media_not_found").await;
    expect_code(&f, &format!("{base}/gone"), "media_not_found").await;
    let err = expect_code(&f, &format!("{base}/busy"), "media_http_error").await;
    assert!(err.to_string().contains("503"), "{err}");
    expect_code(&f, &format!("{base}/no-location"), "media_http_error").await;
    expect_code(&f, &format!("{base}/page.html"), "unsupported_media").await;
    expect_code(&f, &format!("{base}/json"), "unsupported_media").await;
    expect_code(&f, &format!("{base}/empty"), "media_empty").await;
    let err = expect_code(&f, &format!("{base}/to-ftp"), "invalid_media_url").await;
    assert!(err.to_string().contains("a redirect led to"), "{err}");
    expect_code(&f, "ftp://127.0.0.1/a.mp3", "invalid_media_url").await;
    expect_code(&f, "not a url", "invalid_media_url").await;
}

#[tokio::test]
async fn messages_do_not_echo_credentials_or_query() {
    let (addr, _) = serve().await;
    let f = fetcher(open_policy());
    let url = format!(
        "http://alice:s3cret@127.0.0.1:{}/missing?token=abc123",
        addr.port()
    );
    let err = expect_code(&f, &url, "media_not_found").await;
    let msg = err.to_string();
    assert!(
        msg.contains(&format!("127.0.0.1:{}/missing", addr.port())),
        "{msg}"
    );
    for secret in ["alice", "s3cret", "token", "abc123"] {
        assert!(!msg.contains(secret), "{msg}");
    }
    // The same for a connection failure.
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        l.local_addr().expect("addr").port()
    };
    let err = expect_code(
        &f,
        &format!("http://bob:hunter2@127.0.0.1:{closed}/a.mp3?sig=xyz"),
        "media_unreachable",
    )
    .await;
    let msg = err.to_string();
    for secret in ["bob", "hunter2", "sig=", "xyz"] {
        assert!(!msg.contains(secret), "{msg}");
    }
}

#[tokio::test]
async fn unreachable_hosts() {
    let f = fetcher(open_policy());
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        l.local_addr().expect("addr").port()
    };
    expect_code(
        &f,
        &format!("http://127.0.0.1:{closed}/"),
        "media_unreachable",
    )
    .await;
    // `.invalid` never resolves.
    expect_code(
        &f,
        "http://media.talentd.invalid/a.mp3",
        "media_unreachable",
    )
    .await;
}

#[tokio::test]
async fn size_limits() {
    let (addr, hits) = serve().await;
    let base = format!("http://127.0.0.1:{}", addr.port());
    let f = fetcher(FetchPolicy {
        max_bytes: 16 * 1024,
        ..open_policy()
    });
    // Refused by Content-Length, before any body is read.
    let err = expect_code(&f, &format!("{base}/big"), "media_too_large").await;
    assert!(err.to_string().contains("16384"), "{err}");
    // No Content-Length: refused once more than the limit arrived.
    let dir = tempfile::tempdir().expect("temp dir");
    let dest = dir.path().join("m");
    let most = AtomicUsize::new(0);
    let progress = |n: u64, total: Option<u64>| {
        assert_eq!(total, None);
        most.fetch_max(n as usize, Ordering::SeqCst);
    };
    let err = f
        .fetch_to(&format!("{base}/big-stream"), &dest, &progress)
        .await
        .expect_err("too large");
    assert_eq!(err.code(), "media_too_large");
    assert!(!dest.exists());
    assert!(most.load(Ordering::SeqCst) <= 16 * 1024);
    // Within the limit, the same streamed body downloads.
    let f = fetcher(FetchPolicy {
        max_bytes: 64 * 1024,
        ..open_policy()
    });
    let got = f
        .fetch_to(&format!("{base}/big-stream"), &dest, &no_progress)
        .await
        .expect("fits");
    assert_eq!(got.bytes, 64 * 1024);
    assert_eq!(std::fs::metadata(&dest).expect("dest").len(), 64 * 1024);
    assert_eq!(hits.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn non_media_is_refused_without_reading_it_all() {
    let (addr, _) = serve().await;
    let f = fetcher(FetchPolicy {
        total_timeout: Duration::from_secs(20),
        ..open_policy()
    });
    let started = Instant::now();
    expect_code(
        &f,
        &format!("http://127.0.0.1:{}/endless-html", addr.port()),
        "unsupported_media",
    )
    .await;
    assert!(started.elapsed() < Duration::from_secs(10));
}

#[tokio::test]
async fn timeouts() {
    let (addr, _) = serve().await;
    let base = format!("http://127.0.0.1:{}", addr.port());
    let f = fetcher(FetchPolicy {
        read_timeout: Duration::from_millis(300),
        total_timeout: Duration::from_secs(20),
        ..open_policy()
    });
    let started = Instant::now();
    expect_code(&f, &format!("{base}/stall-body"), "media_timeout").await;
    expect_code(&f, &format!("{base}/stall-head"), "media_timeout").await;
    assert!(started.elapsed() < Duration::from_secs(10));

    // Never idle, never done: the total limit ends it.
    let f = fetcher(FetchPolicy {
        read_timeout: Duration::from_secs(5),
        total_timeout: Duration::from_millis(700),
        ..open_policy()
    });
    let started = Instant::now();
    let err = expect_code(&f, &format!("{base}/trickle"), "media_timeout").await;
    assert!(err.to_string().contains("whole download"), "{err}");
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[tokio::test]
async fn redirects_are_followed_by_hand_up_to_the_limit() {
    let (addr, hits) = serve().await;
    let base = format!("http://127.0.0.1:{}", addr.port());
    let f = fetcher(open_policy());
    let dir = tempfile::tempdir().expect("temp dir");
    let dest = dir.path().join("m.mp3");
    let got = f
        .fetch_to(&format!("{base}/hop/5"), &dest, &no_progress)
        .await
        .expect("five redirects are allowed");
    assert_eq!(got.final_url, format!("{base}/hop/0"));
    assert_eq!(got.kind, MediaKind::Mp3);
    assert_eq!(hits.load(Ordering::SeqCst), 6);

    hits.store(0, Ordering::SeqCst);
    expect_code(&f, &format!("{base}/hop/6"), "media_too_many_redirects").await;
    assert_eq!(
        hits.load(Ordering::SeqCst),
        6,
        "the 7th request is never sent"
    );

    // Redirects to loopback and to localhost are fine when private
    // addresses are allowed...
    for path in ["/to-loopback", "/to-localhost"] {
        let got = f
            .fetch_to(&format!("{base}{path}"), &dest, &no_progress)
            .await
            .expect(path);
        assert!(got.final_url.ends_with("/a.mp3"), "{}", got.final_url);
    }
    // ...but a hop to cloud metadata is refused even then.
    let err = expect_code(&f, &format!("{base}/to-metadata"), "media_url_forbidden").await;
    assert!(
        err.to_string().contains(
            "a redirect led to http://169.254.169.254/latest/meta-data/, \
             where 169.254.169.254 is a cloud metadata address"
        ),
        "{err}"
    );
}

#[tokio::test]
async fn private_targets_are_refused_before_any_request() {
    let (addr, hits) = serve().await;
    let port = addr.port();
    let f = fetcher(FetchPolicy::default());
    for url in [
        format!("http://127.0.0.1:{port}/a.mp3"),
        format!("http://127.0.0.1:{port}/"),
        "http://10.0.0.1/".to_owned(),
        "http://169.254.169.254/latest/meta-data".to_owned(),
        format!("http://[::1]:{port}/"),
        format!("http://[::ffff:127.0.0.1]:{port}/a.mp3"),
        format!("http://localhost:{port}/a.mp3"),
        format!("http://2130706433:{port}/a.mp3"),
        format!("http://127.0.0.1:{port}/to-loopback"),
    ] {
        let started = Instant::now();
        let err = expect_code(&f, &url, "media_url_forbidden").await;
        // A literal is refused without even trying to connect.
        assert!(started.elapsed() < Duration::from_secs(2), "{url}");
        assert!(!err.to_string().contains("token"), "{err}");
    }
    assert_eq!(
        hits.load(Ordering::SeqCst),
        0,
        "a request reached the server"
    );
}

#[tokio::test]
async fn guarded_client_refuses_names_that_resolve_to_loopback() {
    // `localhost` straight into the guarded client: the name-based check in
    // `check_url` is skipped, so this is the resolver's refusal.
    let (addr, hits) = serve().await;
    let g = Guard::new(false);
    let client = guard::client(&g, Duration::from_secs(5), Duration::from_secs(5)).expect("client");
    let url = url::Url::parse(&format!("http://localhost:{}/a.mp3", addr.port())).expect("url");
    let err = client
        .get(url.clone())
        .send()
        .await
        .expect_err("localhost must be refused");
    let err = FetchError::from_reqwest(err, &url);
    assert_eq!(err.code(), "media_url_forbidden", "{err}");
    assert!(
        err.to_string()
            .contains("localhost resolves only to non-public addresses"),
        "{err}"
    );
    assert_eq!(hits.load(Ordering::SeqCst), 0);

    // The same client follows no redirects by itself.
    let open = guard::client(
        &Guard::new(true),
        Duration::from_secs(5),
        Duration::from_secs(5),
    )
    .expect("client");
    let resp = open
        .get(format!("http://localhost:{}/to-loopback", addr.port()))
        .send()
        .await
        .expect("response");
    assert_eq!(resp.status(), StatusCode::FOUND);
    assert_eq!(hits.load(Ordering::SeqCst), 1);
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).expect("write");
    p
}

#[test]
fn sniffs_uploaded_files() {
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path();
    assert_eq!(
        sniff_file(&write(d, "a.mp3", mp3())).expect("mp3"),
        MediaKind::Mp3
    );
    let wav = d.join("a.wav");
    let status = Command::new("espeak-ng")
        .arg("-w")
        .arg(&wav)
        .arg("hello")
        .status()
        .expect("espeak-ng runs");
    assert!(status.success());
    assert_eq!(sniff_file(&wav).expect("wav"), MediaKind::Wav);
    let codes = [
        (write(d, "empty", b""), "media_empty"),
        (
            write(d, "page.mp3", b"<html><body>hi</body></html>"),
            "unsupported_media",
        ),
        (d.join("absent.mp3"), "media_io"),
    ];
    for (path, code) in codes {
        assert_eq!(sniff_file(&path).expect_err(code).code(), code);
    }
}
