//! `TestApp::spawn()`: the app on 127.0.0.1:0 with a fresh database and a manual clock.

use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};
use serde_json::Value;
use std::net::SocketAddr;
use std::sync::Arc;
use talentd_api::{ApiConfig, AppState, MemoryRateLimiter, Services};
use talentd_core::{ManualClock, Plan};
use talentd_store::Store;
use time::macros::datetime;

/// The analyzer, loaded once per test binary (the model takes a moment to load).
pub fn analyzer() -> talentd_analysis::Analyzer {
    static ANALYZER: std::sync::OnceLock<talentd_analysis::Analyzer> = std::sync::OnceLock::new();
    ANALYZER
        .get_or_init(|| {
            let dir = std::env::var_os("TALENTD_MODELS_DIR")
                .map(std::path::PathBuf::from)
                .unwrap_or_else(|| {
                    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models")
                });
            let embedder = talentd_analysis::Embedder::load(&dir)
                .unwrap_or_else(|e| panic!("{e}: run scripts/fetch-models.sh before the tests"));
            talentd_analysis::Analyzer::new(Arc::new(embedder))
        })
        .clone()
}

/// The models folder the setup step fills.
pub fn models_dir() -> std::path::PathBuf {
    std::env::var_os("TALENTD_MODELS_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models"))
}

/// Whisper tiny.en, loaded once per test binary: the fastest model, enough for
/// synthetic English speech.
pub fn whisper() -> Arc<talentd_stt::Whisper> {
    static WHISPER: std::sync::OnceLock<Arc<talentd_stt::Whisper>> = std::sync::OnceLock::new();
    WHISPER
        .get_or_init(|| {
            let w = talentd_stt::Whisper::load(&models_dir().join("whisper-tiny.en"))
                .unwrap_or_else(|e| panic!("{e}: run scripts/fetch-models.sh before the tests"));
            Arc::new(w)
        })
        .clone()
}

/// Worker settings for tests: recordings in `media_dir`, loopback URLs allowed or not.
pub fn worker_config(
    media_dir: std::path::PathBuf,
    allow_private: bool,
) -> talentd_jobs::WorkerConfig {
    let mut wc = talentd_jobs::WorkerConfig::new(PUBLIC_URL);
    wc.media_dir = media_dir;
    wc.fetch.allow_private = allow_private;
    wc
}

/// A fresh prefix in the test bucket of the S3-compatible server that scripts/s3.sh
/// starts (endpoint in `TALENTD_TEST_S3_ENDPOINT`).
pub fn test_bucket() -> talentd_media::MediaStore {
    bucket_named("talentd-test")
}

/// A fresh prefix in `bucket` on the test S3 server (which may not have that bucket).
pub fn bucket_named(bucket: &str) -> talentd_media::MediaStore {
    let endpoint = std::env::var("TALENTD_TEST_S3_ENDPOINT")
        .unwrap_or_else(|_| "http://127.0.0.1:9327".to_owned());
    let url = format!("s3://{bucket}/api-{}", talentd_core::id::random_token(12));
    talentd_media::MediaStore::from_url_with(
        &url,
        &[
            ("aws_endpoint", endpoint.as_str()),
            ("aws_access_key_id", "talentd"),
            ("aws_secret_access_key", "talentd-secret"),
            ("aws_region", "us-east-1"),
            ("aws_allow_http", "true"),
        ],
    )
    .expect("bucket settings")
}

/// The API settings of the tests: recordings in `media_dir`, loopback URLs allowed (the
/// tests' webhook receivers listen on loopback).
fn test_config(media_dir: std::path::PathBuf) -> ApiConfig {
    let mut config = ApiConfig::new(PUBLIC_URL);
    config.media_dir = media_dir;
    config.allow_private_urls = true;
    config
}

/// Serves the API over `services` on a free loopback port; returns its address.
async fn serve(services: Services) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let app = talentd_api::app(AppState::new(services));
    tokio::spawn(async move { axum::serve(listener, app).await.expect("serve") });
    addr
}

pub struct TestApp {
    pub worker: talentd_jobs::Worker,
    pub media_dir: std::path::PathBuf,
    pub addr: SocketAddr,
    pub client: reqwest::Client,
    pub store: Arc<dyn Store>,
    pub clock: Arc<ManualClock>,
    /// The database's URL, for tests that look at it directly.
    pub database_url: String,
    _dir: tempfile::TempDir,
}

/// A response, read whole.
pub struct Resp {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Value,
}

impl Resp {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Asserts the common error body and returns its `error.code`.
    pub fn error_code(&self) -> &str {
        assert_eq!(self.body["success"], false, "{}", self.body);
        let rid = self.body["error"]["request_id"]
            .as_str()
            .unwrap_or_default();
        assert!(rid.starts_with("req_"), "{}", self.body);
        assert_eq!(Some(rid), self.header("x-request-id"));
        assert!(
            self.body["error"]["message"]
                .as_str()
                .is_some_and(|m| !m.is_empty())
        );
        self.body["error"]["code"].as_str().unwrap_or_default()
    }

    pub fn param(&self) -> Option<&str> {
        self.body["error"]["param"].as_str()
    }
}

pub const PUBLIC_URL: &str = "https://talent.example.test";

impl TestApp {
    /// A worker that also transcribes recordings; `allow_private` lets it fetch from
    /// the tests' loopback file servers.
    pub fn recording_worker(&self, allow_private: bool) -> talentd_jobs::Worker {
        talentd_jobs::Worker::new(
            self.store.clone(),
            self.clock.clone(),
            talentd_jobs::Engines {
                analyzer: Some(analyzer()),
                whisper: Some(whisper()),
            },
            worker_config(self.media_dir.clone(), allow_private),
        )
    }

    /// Runs queued jobs until none is due; returns how many ran.
    pub async fn run_jobs(&self) -> usize {
        Self::run_jobs_of(&self.worker).await
    }

    /// A webhook deliverer on this app's database and clock, retrying after 0, 1 and 2
    /// seconds, allowed to call loopback receivers.
    pub fn deliverer(&self) -> talentd_jobs::Deliverer {
        let config = talentd_jobs::DeliveryConfig {
            schedule: talentd_core::webhook::RetrySchedule::parse("0,1,2").expect("schedule"),
            allow_private: true,
            timeout: std::time::Duration::from_secs(5),
            ..talentd_jobs::DeliveryConfig::default()
        };
        talentd_jobs::Deliverer::new(self.store.clone(), self.clock.clone(), config)
            .expect("deliverer")
    }

    /// Makes every due delivery attempt; returns their outcomes in order.
    pub async fn deliver(&self) -> Vec<talentd_jobs::DeliveryOutcome> {
        let d = self.deliverer();
        let mut out = Vec::new();
        while let Some(o) = d.run_once().await.expect("deliverer") {
            out.push(o);
        }
        out
    }

    /// Runs queued jobs on `worker` until none is due; a retry is a failure.
    pub async fn run_jobs_of(worker: &talentd_jobs::Worker) -> usize {
        let mut n = 0;
        while let Some(outcome) = worker.run_once().await.expect("worker") {
            if let talentd_jobs::JobOutcome::Retrying { error, .. } = outcome {
                panic!("a job failed and was queued again: {error}");
            }
            n += 1;
        }
        n
    }

    /// Submits a transcript interview and returns its id.
    pub async fn interview(
        &self,
        key: &str,
        candidate: &str,
        vacancy: &str,
        transcript: Value,
    ) -> String {
        let r = self
            .post(
                key,
                "/v1/interviews",
                serde_json::json!({"candidate_id": candidate, "vacancy_id": vacancy, "transcript": transcript}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        r.body["id"].as_str().expect("id").to_owned()
    }

    pub async fn spawn() -> Self {
        Self::spawn_with(|_| {}).await
    }

    pub async fn spawn_with(configure: impl FnOnce(&mut ApiConfig)) -> Self {
        Self::spawn_full(configure, None, None).await
    }

    /// With speech-to-text for candidates' voice answers.
    pub async fn spawn_with_voice() -> Self {
        Self::spawn_full(|_| {}, Some(whisper()), None).await
    }

    /// With an LLM wording Tami's follow-ups and closing.
    pub async fn spawn_with_phraser(phraser: Arc<dyn talentd_llm::Phraser>) -> Self {
        Self::spawn_full(|_| {}, None, Some(phraser)).await
    }

    async fn spawn_full(
        configure: impl FnOnce(&mut ApiConfig),
        voice: Option<Arc<talentd_stt::Whisper>>,
        phraser: Option<Arc<dyn talentd_llm::Phraser>>,
    ) -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        let database_url = talentd_store::testing::fresh_database_url(dir.path()).await;
        let store = talentd_store::connect(&database_url)
            .await
            .expect("connect");
        store.migrate().await.expect("migrate");
        // On an hour boundary, so that tests reason about whole windows.
        let clock = Arc::new(ManualClock::new(datetime!(2026-06-13 09:00:00 UTC)));
        let mut config = test_config(dir.path().join("media"));
        configure(&mut config);
        let media_dir = config.media_dir.clone();
        let addr = serve(Services {
            store: store.clone(),
            clock: clock.clone(),
            limiter: Arc::new(MemoryRateLimiter::default()),
            config,
            wake_workers: None,
            wake_deliveries: None,
            models: talentd_api::ModelsState::Loaded,
            speech: talentd_api::ModelsState::Loaded,
            whisper: voice,
            phraser,
        })
        .await;
        let worker = talentd_jobs::Worker::new(
            store.clone(),
            clock.clone(),
            talentd_jobs::Engines {
                analyzer: Some(analyzer()),
                // Loaded on first use: most tests send transcripts.
                whisper: None,
            },
            worker_config(media_dir.clone(), true),
        );
        Self {
            worker,
            media_dir,
            addr,
            client: reqwest::Client::new(),
            store,
            clock,
            database_url,
            _dir: dir,
        }
    }

    /// Another replica of the API on this app's database and clock, with `limiter`;
    /// returns its address.
    pub async fn replica(&self, limiter: Arc<dyn talentd_api::RateLimiter>) -> SocketAddr {
        serve(Services {
            store: self.store.clone(),
            clock: self.clock.clone(),
            limiter,
            config: test_config(self.media_dir.clone()),
            wake_workers: None,
            wake_deliveries: None,
            models: talentd_api::ModelsState::Loaded,
            speech: talentd_api::ModelsState::Loaded,
            whisper: None,
            phraser: None,
        })
        .await
    }

    /// A new organisation on `plan` and its API key.
    pub async fn org(&self, plan: Plan) -> String {
        talentd_api::provision::create_org(&*self.store, &*self.clock, "Acme", plan)
            .await
            .expect("org")
            .api_key
    }

    /// A new organisation on `plan`: its id and API key.
    pub async fn org_and_key(&self, plan: Plan) -> (talentd_core::OrgId, String) {
        let p = talentd_api::provision::create_org(&*self.store, &*self.clock, "Acme", plan)
            .await
            .expect("org");
        (p.org_id, p.api_key)
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    pub async fn send(&self, req: reqwest::RequestBuilder) -> Resp {
        let resp = req.send().await.expect("request");
        let status = resp.status();
        let headers = resp.headers().clone();
        let bytes = resp.bytes().await.expect("body");
        let body = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes)
                .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()))
        };
        Resp {
            status,
            headers,
            body,
        }
    }

    pub fn request(&self, method: Method, key: &str, path: &str) -> reqwest::RequestBuilder {
        self.client.request(method, self.url(path)).bearer_auth(key)
    }

    pub async fn get(&self, key: &str, path: &str) -> Resp {
        self.send(self.request(Method::GET, key, path)).await
    }

    pub async fn delete(&self, key: &str, path: &str) -> Resp {
        self.send(self.request(Method::DELETE, key, path)).await
    }

    pub async fn post(&self, key: &str, path: &str, body: Value) -> Resp {
        self.send(self.request(Method::POST, key, path).json(&body))
            .await
    }

    pub async fn patch(&self, key: &str, path: &str, body: Value) -> Resp {
        self.send(self.request(Method::PATCH, key, path).json(&body))
            .await
    }

    /// Creates a project and returns its body.
    pub async fn project(&self, key: &str, name: &str) -> Value {
        let r = self
            .post(
                key,
                "/v1/projects",
                serde_json::json!({"project_name": name, "instructions": "Ask about teamwork."}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        r.body
    }
}
