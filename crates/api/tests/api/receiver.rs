//! A webhook receiver on a loopback port: it checks every signature with an independent
//! implementation (the `standardwebhooks` crate), answers verification challenges, and
//! can be told to fail.

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::Value;
use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

/// One request as received.
#[derive(Clone, Debug)]
pub struct Received {
    pub id: String,
    pub timestamp: i64,
    pub signatures: Vec<String>,
    pub body: Value,
    pub raw: Vec<u8>,
}

impl Received {
    pub fn kind(&self) -> &str {
        self.body["type"].as_str().unwrap_or_default()
    }

    /// Whether one of the signatures is the one `secret` makes, as computed by the
    /// `standardwebhooks` crate.
    pub fn signed_by(&self, secret: &str) -> bool {
        let wh = standardwebhooks::Webhook::new(secret).expect("secret");
        let expected = wh.sign(&self.id, self.timestamp, &self.raw).expect("sign");
        self.signatures.contains(&expected)
    }
}

/// What the receiver answers.
#[derive(Clone, Debug)]
pub struct Answer {
    pub status: u16,
    pub retry_after: Option<&'static str>,
}

#[derive(Default)]
struct Shared {
    received: Vec<Received>,
    /// Answers for the next requests, in order; then 200 (with the challenge echoed).
    script: VecDeque<Answer>,
    /// Whether verification requests get the challenge back.
    answer_challenges: bool,
}

#[derive(Clone)]
pub struct Receiver {
    pub addr: SocketAddr,
    shared: Arc<Mutex<Shared>>,
}

async fn receive(
    State(shared): State<Arc<Mutex<Shared>>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    let json: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let r = Received {
        id: header("webhook-id"),
        timestamp: header("webhook-timestamp").parse().unwrap_or(0),
        signatures: header("webhook-signature")
            .split(' ')
            .map(str::to_owned)
            .collect(),
        body: json.clone(),
        raw: body.to_vec(),
    };
    let mut s = shared.lock().unwrap();
    s.received.push(r);
    if let Some(a) = s.script.pop_front() {
        let mut resp = (StatusCode::from_u16(a.status).unwrap(), "scripted answer").into_response();
        if let Some(ra) = a.retry_after {
            resp.headers_mut()
                .insert("retry-after", ra.parse().unwrap());
        }
        if (300..400).contains(&a.status) {
            resp.headers_mut()
                .insert("location", "http://127.0.0.1:9/elsewhere".parse().unwrap());
        }
        return resp;
    }
    if json["type"] == "webhook.verification" {
        if s.answer_challenges {
            let c = json["data"]["challenge"].clone();
            return axum::Json(serde_json::json!({ "challenge": c })).into_response();
        }
        return (StatusCode::OK, "ok").into_response();
    }
    (StatusCode::OK, "thanks").into_response()
}

impl Receiver {
    pub async fn start() -> Self {
        let shared = Arc::new(Mutex::new(Shared {
            answer_challenges: true,
            ..Shared::default()
        }));
        let app = Router::new()
            .route("/hook", axum::routing::post(receive))
            .with_state(shared.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Self { addr, shared }
    }

    pub fn url(&self) -> String {
        format!("http://{}/hook", self.addr)
    }

    /// Everything received so far.
    pub fn received(&self) -> Vec<Received> {
        self.shared.lock().unwrap().received.clone()
    }

    /// Received requests of one event type.
    pub fn of_kind(&self, kind: &str) -> Vec<Received> {
        self.received()
            .into_iter()
            .filter(|r| r.kind() == kind)
            .collect()
    }

    /// The next requests get these answers, in order.
    pub fn script(&self, answers: impl IntoIterator<Item = Answer>) {
        self.shared.lock().unwrap().script.extend(answers);
    }

    pub fn answer_challenges(&self, on: bool) {
        self.shared.lock().unwrap().answer_challenges = on;
    }
}

pub fn fail(status: u16) -> Answer {
    Answer {
        status,
        retry_after: None,
    }
}
