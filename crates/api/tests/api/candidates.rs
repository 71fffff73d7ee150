use crate::fixtures;
use crate::support::TestApp;
use reqwest::StatusCode;
use serde_json::json;
use talentd_core::Plan;

#[tokio::test]
async fn candidates_are_created_on_first_reference_and_can_be_updated() {
    let app = TestApp::spawn().await;
    let key = app.org(Plan::Pro).await;
    app.post(
        &key,
        "/v1/interviews",
        json!({"candidate_id": "cand_4f21", "vacancy_id": "pm", "transcript": fixtures::strong(), "candidate_name": "Дмитрий Соколов"}),
    )
    .await;
    let c = app.get(&key, "/v1/candidates/cand_4f21").await;
    assert_eq!(c.status, StatusCode::OK, "{}", c.body);
    assert_eq!(c.body["name"], "Дмитрий Соколов");
    assert_eq!(c.body["interviews"], 1);
    let p = app
        .patch(
            &key,
            "/v1/candidates/cand_4f21",
            json!({"position": "Старший менеджер проектов", "email": "d@example.com"}),
        )
        .await;
    assert_eq!(p.status, StatusCode::OK, "{}", p.body);
    assert_eq!(p.body["position"], "Старший менеджер проектов");
    assert_eq!(p.body["name"], "Дмитрий Соколов");
    let bad = app
        .patch(&key, "/v1/candidates/cand_4f21", json!({"email": "x"}))
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        app.get(&key, "/v1/candidates/nobody").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.patch(&key, "/v1/candidates/nobody", json!({}))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn score_and_report_have_the_documents_fields() {
    let app = TestApp::spawn().await;
    let key = app.org(Plan::Pro).await;
    app.interview(&key, "cand_4f21", "pm", fixtures::strong())
        .await;
    let pending = app.get(&key, "/v1/candidates/cand_4f21/score").await;
    assert_eq!(pending.status, StatusCode::OK);
    assert!(pending.body["match"].is_null());
    app.run_jobs().await;
    app.patch(
        &key,
        "/v1/candidates/cand_4f21",
        json!({"name": "Dmitry", "position": "Senior PM"}),
    )
    .await;

    let s = app.get(&key, "/v1/candidates/cand_4f21/score").await;
    assert_eq!(s.body["success"], true);
    assert_eq!(s.body["candidate_id"], "cand_4f21");
    assert!(s.body["match"].as_f64().is_some());
    for skill in [
        "leadership",
        "communication",
        "empathy",
        "logic",
        "planning",
        "stress_tolerance",
    ] {
        assert!(s.body["scores"][skill].as_f64().is_some(), "{skill}");
    }
    let r = app.get(&key, "/v1/candidates/cand_4f21/report").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["candidate"]["name"], "Dmitry");
    assert_eq!(r.body["candidate"]["position"], "Senior PM");
    let c = r.body["compatibility"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&c));
    assert!(matches!(
        r.body["recommendation"].as_str(),
        Some("strongly_recommended" | "recommended" | "consider" | "not_recommended")
    ));
    assert!(r.body["strengths"].is_array());
    let risks = r.body["risks"].as_array().unwrap();
    assert!(risks.iter().all(|x| x.is_string()));
    assert!(risks.len() >= 2, "salary and notice period: {risks:?}");
    assert!(r.body["report_url"].as_str().is_some());

    assert_eq!(
        app.get(&key, "/v1/candidates/nobody/score").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get(&key, "/v1/candidates/nobody/report").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn comparison_ranks_best_first_and_checks_its_input() {
    let app = TestApp::spawn().await;
    let key = app.org(Plan::Pro).await;
    app.interview(&key, "strong", "pm", fixtures::strong())
        .await;
    app.interview(&key, "weak", "pm", fixtures::weak()).await;
    app.run_jobs().await;

    for criteria in [
        None,
        Some("leadership"),
        Some("match"),
        Some("compatibility"),
        Some("culture_fit"),
    ] {
        let mut body = json!({"candidate_ids": ["weak", "strong"]});
        if let Some(c) = criteria {
            body["criteria"] = json!(c);
        }
        let r = app.post(&key, "/v1/candidates/compare", body).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let ranking = r.body["ranking"].as_array().unwrap();
        assert_eq!(ranking.len(), 2);
        let (a, b) = (
            ranking[0]["score"].as_f64().unwrap(),
            ranking[1]["score"].as_f64().unwrap(),
        );
        assert!(a >= b, "best first: {ranking:?}");
        if matches!(criteria, None | Some("leadership") | Some("match")) {
            assert_eq!(ranking[0]["candidate_id"], "strong", "{criteria:?}");
        }
    }

    let ids: Vec<String> = (0..11).map(|i| format!("c{i}")).collect();
    for (body, param) in [
        (json!({"candidate_ids": ["strong"]}), "candidate_ids"),
        (json!({"candidate_ids": ids}), "candidate_ids"),
        (
            json!({"candidate_ids": ["strong", "strong"]}),
            "candidate_ids",
        ),
        (
            json!({"candidate_ids": ["strong", "weak"], "criteria": "charisma"}),
            "criteria",
        ),
    ] {
        let r = app.post(&key, "/v1/candidates/compare", body.clone()).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(r.param(), Some(param));
    }
    let r = app
        .post(
            &key,
            "/v1/candidates/compare",
            json!({"candidate_ids": ["strong", "ghost", "phantom"]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let msg = r.body["error"]["message"].as_str().unwrap();
    assert!(msg.contains("ghost") && msg.contains("phantom") && !msg.contains("strong"));
}

#[tokio::test]
async fn vacancy_weights_decide_the_match() {
    let app = TestApp::spawn().await;
    let key = app.org(Plan::Pro).await;
    let v = app
        .send(
            app.request(reqwest::Method::PUT, &key, "/v1/vacancies/analyst")
                .json(&json!({"title": "Analyst", "competency_weights": {"logic": 1}})),
        )
        .await;
    assert_eq!(v.status, StatusCode::OK, "{}", v.body);
    assert_eq!(v.body["competency_weights"]["leadership"], 0.0);
    let id = app
        .interview(&key, "c", "analyst", fixtures::strong())
        .await;
    app.run_jobs().await;
    let i = app.get(&key, &format!("/v1/interviews/{id}")).await;
    assert_eq!(i.body["match"], i.body["scores"]["logic"]);

    // An unknown vacancy gets balanced weights.
    let id = app
        .interview(&key, "d", "brand-new", fixtures::strong())
        .await;
    app.run_jobs().await;
    let got = app.get(&key, "/v1/vacancies/brand-new").await;
    assert_eq!(got.body["competency_weights"]["empathy"], 1.0);
    let i = app.get(&key, &format!("/v1/interviews/{id}")).await;
    let scores = i.body["scores"].as_object().unwrap();
    let mean = scores.values().filter_map(|v| v.as_f64()).sum::<f64>() / 6.0;
    assert!((i.body["match"].as_f64().unwrap() - mean).abs() <= 0.011);

    // A project id as vacancy_id uses the project's weights.
    let p = app
        .post(&key, "/v1/projects", json!({"project_name": "PM", "instructions": "x", "competency_weights": {"planning": 1}}))
        .await;
    let pid = p.body["id"].as_str().unwrap();
    let id = app.interview(&key, "e", pid, fixtures::strong()).await;
    app.run_jobs().await;
    let i = app.get(&key, &format!("/v1/interviews/{id}")).await;
    assert_eq!(i.body["project_id"], pid);
    assert_eq!(i.body["match"], i.body["scores"]["planning"]);

    let bad = app
        .send(
            app.request(reqwest::Method::PUT, &key, "/v1/vacancies/x")
                .json(&json!({"competency_weights": {"logic": -2}})),
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        app.get(&key, "/v1/vacancies/never").await.status,
        StatusCode::NOT_FOUND
    );
}
