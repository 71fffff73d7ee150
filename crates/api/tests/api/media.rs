//! Recordings for the tests, made with espeak-ng (two voices) and ffmpeg, and a
//! loopback file server that counts its requests.

use axum::Router;
use axum::body::Body;
use axum::extract::{Path as UrlPath, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The interview: the interviewer asks, the candidate answers at length.
pub const TURNS: [(bool, &str); 6] = [
    (false, "Tell me about a project you led."),
    (
        true,
        "Last year I led the migration of our billing system to a new platform. I organised a team of five engineers and split the work into two week milestones. When two people disagreed about the data model, I brought them together and listened to both. We shipped a month early and cut invoice errors by forty percent.",
    ),
    (false, "How do you handle pressure?"),
    (
        true,
        "During a production outage I stayed calm and wrote down what we knew. I assigned one person to customer updates and focused on the logs myself. We restored service in forty minutes, and I wrote the review the next morning so the team could learn from it.",
    ),
    (false, "How do you explain technical ideas?"),
    (
        true,
        "I start from what the listener needs to decide and use a concrete example. Then I check that they understood by asking them to restate the trade off. When a junior colleague felt lost, I paired with her every morning for two weeks until she was confident.",
    ),
];

/// The recordings of [`TURNS`], made once per test binary: `interview.{wav,mp3,m4a,mp4}`
/// in `dir` (the mp4 with a video track), served by name by [`FileServer`].
pub struct Recordings {
    _dir: tempfile::TempDir,
    pub dir: PathBuf,
    pub mp3: PathBuf,
    pub m4a: PathBuf,
}

fn run(cmd: &mut Command) {
    let out = cmd.output().unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn ffmpeg(args: &[&str]) {
    let mut cmd = Command::new("ffmpeg");
    cmd.args(["-y", "-loglevel", "error"]).args(args);
    run(&mut cmd);
}

pub fn recordings() -> &'static Recordings {
    static R: OnceLock<Recordings> = OnceLock::new();
    R.get_or_init(|| {
        let tmp = tempfile::tempdir().expect("tempdir");
        let dir = tmp.path().to_path_buf();
        let mut parts = Vec::new();
        for (i, (candidate, text)) in TURNS.iter().enumerate() {
            let raw = dir.join(format!("turn{i}.raw.wav"));
            let voice = if *candidate { "en-gb+f4" } else { "en-us+m3" };
            run(Command::new("espeak-ng")
                .args(["-v", voice, "-s", "150", "-w"])
                .arg(&raw)
                .arg(text));
            // One rate for all, and a pause after each turn.
            let part = dir.join(format!("turn{i}.wav"));
            ffmpeg(&[
                "-i",
                &raw.to_string_lossy(),
                "-af",
                "apad=pad_dur=0.8",
                "-ar",
                "16000",
                "-ac",
                "1",
                &part.to_string_lossy(),
            ]);
            parts.push(part);
        }
        let list = dir.join("list.txt");
        std::fs::write(
            &list,
            parts
                .iter()
                .map(|p| format!("file '{}'\n", p.display()))
                .collect::<String>(),
        )
        .expect("list");
        let wav = dir.join("interview.wav");
        ffmpeg(&[
            "-f",
            "concat",
            "-safe",
            "0",
            "-i",
            &list.to_string_lossy(),
            "-c",
            "pcm_s16le",
            &wav.to_string_lossy(),
        ]);
        let w = wav.to_string_lossy().into_owned();
        let mp3 = dir.join("interview.mp3");
        ffmpeg(&[
            "-i",
            &w,
            "-c:a",
            "libmp3lame",
            "-b:a",
            "64k",
            &mp3.to_string_lossy(),
        ]);
        let m4a = dir.join("interview.m4a");
        ffmpeg(&[
            "-i",
            &w,
            "-c:a",
            "aac",
            "-b:a",
            "64k",
            &m4a.to_string_lossy(),
        ]);
        let mp4 = dir.join("interview.mp4");
        ffmpeg(&[
            "-f",
            "lavfi",
            "-i",
            "color=c=black:s=64x64:r=5",
            "-i",
            &w,
            "-shortest",
            "-c:v",
            "libx264",
            "-c:a",
            "aac",
            &mp4.to_string_lossy(),
        ]);
        Recordings {
            dir: dir.clone(),
            _dir: tmp,
            mp3,
            m4a,
        }
    })
}

/// A file server on loopback: `/files/{name}` from a folder, plus the failure cases.
pub struct FileServer {
    pub addr: SocketAddr,
    pub hits: Arc<AtomicUsize>,
}

#[derive(Clone)]
struct Served {
    dir: PathBuf,
    hits: Arc<AtomicUsize>,
}

async fn file(State(s): State<Served>, UrlPath(name): UrlPath<String>) -> Response {
    s.hits.fetch_add(1, Ordering::SeqCst);
    match std::fs::read(s.dir.join(name.replace(['/', '\\'], ""))) {
        Ok(bytes) => bytes.into_response(),
        Err(_) => StatusCode::NOT_FOUND.into_response(),
    }
}

async fn counted(State(s): State<Served>) {
    s.hits.fetch_add(1, Ordering::SeqCst);
}

impl FileServer {
    pub async fn start(dir: &Path) -> Self {
        let hits = Arc::new(AtomicUsize::new(0));
        let served = Served {
            dir: dir.to_path_buf(),
            hits: hits.clone(),
        };
        let app = Router::new()
            .route("/files/{name}", axum::routing::get(file))
            .route(
                "/page.html",
                axum::routing::get(|State(s): State<Served>| async move {
                    counted(State(s)).await;
                    (
                        [(header::CONTENT_TYPE, "text/html")],
                        "<!doctype html><html><body>Not a recording</body></html>",
                    )
                }),
            )
            .route(
                "/empty.mp3",
                axum::routing::get(|State(s): State<Served>| async move {
                    counted(State(s)).await;
                    Body::empty()
                }),
            )
            .route(
                "/stall.mp3",
                axum::routing::get(|State(s): State<Served>| async move {
                    counted(State(s)).await;
                    // The headers, then an mp3 frame header, then nothing, for ever.
                    let start = futures_util::stream::iter([Ok::<_, std::io::Error>(
                        axum::body::Bytes::from_static(b"ID3\x04\x00\x00\x00\x00\x00\x00"),
                    )]);
                    Body::from_stream(start.chain(futures_util::stream::pending()))
                }),
            )
            .route(
                "/moved.mp3",
                axum::routing::get(|State(s): State<Served>| async move {
                    counted(State(s)).await;
                    (
                        StatusCode::FOUND,
                        [(header::LOCATION, "/files/interview.mp3")],
                    )
                }),
            )
            .with_state(served);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Self { addr, hits }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    pub fn hits(&self) -> usize {
        self.hits.load(Ordering::SeqCst)
    }
}
