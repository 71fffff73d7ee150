//! A bare axum server with one route, `GET /hello` answering `{"hello":"world"}`: the
//! baseline `bench/run.sh` compares talentd against.
//!
//! `cargo run --release -p talentd-api --example hello -- 127.0.0.1:18081`

use axum::routing::get;
use axum::{Json, Router};
use serde_json::{Value, json};

#[tokio::main(flavor = "multi_thread")]
async fn main() -> std::io::Result<()> {
    let addr = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:18081".to_owned());
    let app = Router::new().route("/hello", get(hello));
    let listener = tokio::net::TcpListener::bind(&addr).await?;
    println!("listening on {}", listener.local_addr()?);
    axum::serve(listener, app).await
}

async fn hello() -> Json<Value> {
    Json(json!({"hello": "world"}))
}
