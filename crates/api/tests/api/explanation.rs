//! `GET /v1/candidates/{id}/explanation`: the candidate's plain-language explanation.

use crate::fixtures;
use crate::support::TestApp;
use reqwest::StatusCode;
use serde_json::{Value, json};
use talentd_core::Plan;

const NAMES: [&str; 6] = [
    "Leadership",
    "Communication",
    "Empathy",
    "Logic",
    "Planning",
    "Stress tolerance",
];

/// Digits on both sides of a point or comma, as a similarity or score would show
/// ("0.73", "0,73").
fn decimals(text: &str) -> Vec<String> {
    let c: Vec<char> = text.chars().collect();
    c.windows(3)
        .filter(|w| w[0].is_ascii_digit() && (w[1] == '.' || w[1] == ',') && w[2].is_ascii_digit())
        .map(|w| w.iter().collect())
        .collect()
}

/// Everything the candidate said in a fixture.
fn candidate_words(transcript: &Value) -> Vec<String> {
    transcript
        .as_array()
        .into_iter()
        .flatten()
        .filter(|s| s["speaker"] == "candidate")
        .filter_map(|s| s["text"].as_str().map(str::to_owned))
        .collect()
}

#[tokio::test]
async fn the_explanation_quotes_the_candidate_and_shows_no_internals() {
    let app = TestApp::spawn().await;
    let key = app.org(Plan::Unlimited).await;
    let weights = app
        .send(
            app.request(reqwest::Method::PUT, &key, "/v1/vacancies/pm")
                .json(
                    &json!({"competency_weights": {"leadership": 3, "planning": 3, "empathy": 1}}),
                ),
        )
        .await;
    assert!(weights.status.is_success(), "{}", weights.body);
    app.interview(&key, "cand_x1", "pm", fixtures::strong())
        .await;

    let pending = app.get(&key, "/v1/candidates/cand_x1/explanation").await;
    assert_eq!(pending.status, StatusCode::OK, "{}", pending.body);
    assert_eq!(pending.body["status"], "not_ready");
    assert!(
        pending.body["text"]
            .as_str()
            .unwrap_or_default()
            .contains("Your rights")
    );

    app.run_jobs().await;
    let r = app.get(&key, "/v1/candidates/cand_x1/explanation").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let b = &r.body;
    assert_eq!(b["success"], true);
    assert_eq!(b["candidate_id"], "cand_x1");
    assert_eq!(b["status"], "explained");
    assert_eq!(b["language"], "en");
    assert_eq!(b["interviews"].as_array().map(Vec::len), Some(1));
    let text = b["text"].as_str().expect("text");

    // Every competency, by name, in the structure and the text.
    let skills = b["competencies"].as_array().expect("competencies");
    assert_eq!(skills.len(), 6);
    for (skill, name) in skills.iter().zip(NAMES) {
        assert_eq!(skill["name"], name);
        assert!(skill["meaning"].as_str().is_some_and(|m| !m.is_empty()));
        let level = skill["level_words"].as_str().expect("a level in words");
        assert!(
            text.contains(&format!("{name}: {level}.")),
            "{name}: {text}"
        );
    }

    // Quotes are the candidate's own words, verbatim, each in the text.
    let said = candidate_words(&fixtures::strong());
    let mut quotes = 0;
    for e in skills
        .iter()
        .flat_map(|s| s["evidence"].as_array().into_iter().flatten())
    {
        let quote = e["quote"].as_str().expect("quote");
        assert!(said.iter().any(|t| t.contains(quote)), "not said: {quote}");
        assert!(text.contains(quote), "not in the text: {quote}");
        assert!(!e["matched"].as_str().unwrap_or_default().is_empty());
        quotes += 1;
    }
    assert!(quotes >= 6, "only {quotes} quotes");

    // The recommendation, and which competencies the role weighs most.
    let words = b["recommendation"]["words"]
        .as_str()
        .expect("recommendation");
    assert!(
        text.contains(&format!("Overall result: {words}.")),
        "{text}"
    );
    assert_eq!(
        b["recommendation"]["weighs_most"],
        json!(["leadership", "planning"])
    );
    assert!(
        text.contains("leadership and planning weigh most"),
        "{text}"
    );
    // The notice period and salary the candidate mentioned were noted for the recruiter.
    assert!(!b["noted"].as_array().expect("noted").is_empty());
    assert_eq!(b["human_review"]["reviewed"], false);
    assert!(
        text.contains("not used"),
        "names, voice, demographics: {text}"
    );

    // No number a score, weight or similarity would show, and no internal words.
    assert_eq!(decimals(&b.to_string()), Vec::<String>::new(), "{b}");
    let lower = text.to_lowercase();
    for word in [
        "embedding",
        "cosine",
        "similarity",
        "threshold",
        "confidence",
        "polarity",
        "relevance",
        "minilm",
        "match_score",
        "model_version",
    ] {
        assert!(!lower.contains(word), "{word} in {text}");
    }

    // Deterministic.
    let again = app.get(&key, "/v1/candidates/cand_x1/explanation").await;
    assert_eq!(again.body, r.body);
}

#[tokio::test]
async fn the_explanation_comes_in_russian_when_asked() {
    let app = TestApp::spawn().await;
    let key = app.org(Plan::Unlimited).await;
    app.interview(&key, "cand_ru", "pm", fixtures::strong())
        .await;
    app.run_jobs().await;
    let en = app.get(&key, "/v1/candidates/cand_ru/explanation").await;

    let by_query = app
        .get(&key, "/v1/candidates/cand_ru/explanation?lang=ru")
        .await;
    assert_eq!(by_query.status, StatusCode::OK, "{}", by_query.body);
    assert_eq!(by_query.body["language"], "ru");
    let text = by_query.body["text"].as_str().expect("text");
    assert!(text.starts_with("Как был получен результат"), "{text}");
    for name in [
        "Лидерство",
        "Коммуникация",
        "Эмпатия",
        "Логика",
        "Планирование",
        "Стрессоустойчивость",
    ] {
        assert!(text.contains(name), "{name}");
    }
    assert!(text.contains("Ваши права"));
    assert!(text.contains("Общий результат:"));
    // The quotes stay as the candidate said them.
    let quote = en.body["competencies"][0]["evidence"][0]["quote"]
        .as_str()
        .expect("a quote");
    assert!(text.contains(&format!("«{quote}»")), "{text}");
    assert_eq!(decimals(text), Vec::<String>::new());

    let by_header = app
        .send(
            app.request(
                reqwest::Method::GET,
                &key,
                "/v1/candidates/cand_ru/explanation",
            )
            .header("accept-language", "ru-RU,ru;q=0.9,en;q=0.5"),
        )
        .await;
    assert_eq!(by_header.body, by_query.body);
    let english_first = app
        .send(
            app.request(
                reqwest::Method::GET,
                &key,
                "/v1/candidates/cand_ru/explanation?lang=en",
            )
            .header("accept-language", "ru-RU"),
        )
        .await;
    assert_eq!(
        english_first.body, en.body,
        "the query wins over the header"
    );

    let bad = app
        .get(&key, "/v1/candidates/cand_ru/explanation?lang=de")
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(bad.error_code(), "invalid_request");
    assert_eq!(bad.param(), Some("lang"));
}

#[tokio::test]
async fn an_interview_with_too_little_to_go_on_is_explained_as_not_scored() {
    let app = TestApp::spawn().await;
    let key = app.org(Plan::Unlimited).await;
    app.interview(&key, "cand_quiet", "pm", fixtures::tiny())
        .await;
    app.run_jobs().await;
    let r = app.get(&key, "/v1/candidates/cand_quiet/explanation").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["status"], "not_scored");
    assert!(r.body["recommendation"].is_null());
    let why = r.body["not_scored"].as_str().expect("why");
    assert!(why.contains("not scored"), "{why}");
    let text = r.body["text"].as_str().expect("text");
    assert!(text.contains(why));
    assert!(text.contains("Your rights"));
    for skill in r.body["competencies"].as_array().expect("competencies") {
        assert!(skill["level"].is_null());
    }
}

#[tokio::test]
async fn a_persons_decision_is_told_without_who_made_it() {
    let app = TestApp::spawn().await;
    let key = app.org(Plan::Unlimited).await;
    let id = app
        .interview(&key, "cand_rev", "pm", fixtures::strong())
        .await;
    app.run_jobs().await;
    let decided = app
        .post(
            &key,
            &format!("/v1/interviews/{id}/decisions"),
            json!({"recommendation": "consider", "reason": "Wants a second interview",
                   "by": "reviewer@acme.test"}),
        )
        .await;
    assert_eq!(decided.status, StatusCode::CREATED, "{}", decided.body);
    let at = decided.body["at"].as_str().expect("when").to_owned();

    let r = app.get(&key, "/v1/candidates/cand_rev/explanation").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let review = &r.body["human_review"];
    assert_eq!(review["reviewed"], true);
    assert_eq!(review["decision"], "consider");
    assert_eq!(review["decided_at"], at.as_str());
    let text = r.body["text"].as_str().expect("text");
    let date = at.get(..10).expect("a date");
    assert!(
        text.contains(&format!(
            "reviewed this result on {date} and recorded the decision: worth considering"
        )),
        "{text}"
    );
    let body = r.body.to_string();
    assert!(!body.contains("reviewer@acme.test"), "who decided");
    assert!(!body.contains("API key"), "who decided");
    assert!(
        !body.contains("Wants a second interview"),
        "the internal reason"
    );
}

#[tokio::test]
async fn another_organisations_candidate_is_not_found() {
    let app = TestApp::spawn().await;
    let owner = app.org(Plan::Unlimited).await;
    let other = app.org(Plan::Unlimited).await;
    app.interview(&owner, "cand_own", "pm", fixtures::strong())
        .await;
    app.run_jobs().await;
    for (key, path) in [
        (&other, "/v1/candidates/cand_own/explanation"),
        (&owner, "/v1/candidates/nobody/explanation"),
    ] {
        let r = app.get(key, path).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}: {}", r.body);
        assert_eq!(r.error_code(), "not_found");
        assert!(!r.body.to_string().contains("Leadership"));
    }
}
