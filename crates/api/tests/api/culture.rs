use crate::fixtures;
use crate::support::TestApp;
use reqwest::StatusCode;
use serde_json::json;
use talentd_core::Plan;

const DIMENSIONS: [&str; 7] = [
    "innovation",
    "stability",
    "people",
    "results",
    "detail",
    "team",
    "competitiveness",
];

/// A valid forced-distribution sort that puts the given items on top.
fn sort_with_top(top: &[usize]) -> Vec<u8> {
    let piles: Vec<u8> = [2usize, 4, 6, 9, 12, 9, 6, 4, 2]
        .iter()
        .enumerate()
        .flat_map(|(p, n)| std::iter::repeat_n(p as u8 + 1, *n))
        .collect();
    // piles is ascending: the last entries are the highest piles.
    let mut order: Vec<usize> = (0..54).filter(|i| !top.contains(i)).collect();
    order.extend(top.iter().copied());
    let mut sort = vec![0u8; 54];
    for (rank, item) in order.into_iter().enumerate() {
        sort[item] = piles[rank];
    }
    sort
}

#[tokio::test]
async fn the_profile_starts_default_and_takes_the_companys_sorts() {
    let app = TestApp::spawn().await;
    let key = app.org(Plan::Pro).await;
    let p = app.get(&key, "/v1/culture/profile").await;
    assert_eq!(p.status, StatusCode::OK, "{}", p.body);
    assert_eq!(p.body["parameters_count"], 54);
    assert_eq!(p.body["source"], "default");
    for d in DIMENSIONS {
        let v = p.body["dimensions"][d].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&v), "{d}");
    }
    let params = p.body["parameters"].as_array().unwrap();
    assert_eq!(params.len(), 54);
    assert!(
        params
            .iter()
            .all(|x| x["id"].is_string() && x["text"].is_string())
    );

    let a = sort_with_top(&[0, 1, 4]);
    let b = sort_with_top(&[0, 1, 5]);
    let put = app
        .send(
            app.request(reqwest::Method::PUT, &key, "/v1/culture/profile")
                .json(&json!({"sorts": [a, b]})),
        )
        .await;
    assert_eq!(put.status, StatusCode::OK, "{}", put.body);
    assert_eq!(put.body["source"], "company");
    assert_eq!(put.body["raters"], 2);
    assert!(put.body["agreement"].as_f64().is_some());
    let again = app.get(&key, "/v1/culture/profile").await;
    assert_eq!(again.body["source"], "company");
    assert_eq!(again.body["dimensions"], put.body["dimensions"]);

    let mut broken = sort_with_top(&[0]);
    broken[3] = 9;
    let r = app
        .send(
            app.request(reqwest::Method::PUT, &key, "/v1/culture/profile")
                .json(&json!({"sorts": [broken]})),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    let r = app
        .send(
            app.request(reqwest::Method::PUT, &key, "/v1/culture/profile")
                .json(&json!({"ratings": {"ocp_01": 9}})),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.param().unwrap().starts_with("ratings"));
}

#[tokio::test]
async fn fit_needs_a_known_candidate_with_a_completed_interview() {
    let app = TestApp::spawn().await;
    let key = app.org(Plan::Pro).await;
    let r = app
        .post(&key, "/v1/culture/fit", json!({"candidate_id": "ghost"}))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    app.interview(&key, "cand_4f21", "v", fixtures::strong())
        .await;
    let r = app
        .post(
            &key,
            "/v1/culture/fit",
            json!({"candidate_id": "cand_4f21"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    app.run_jobs().await;
    let r = app
        .post(
            &key,
            "/v1/culture/fit",
            json!({"candidate_id": "cand_4f21"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let f = r.body["fit_score"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&f));
    assert!(r.body["matches"].is_array() && r.body["attention"].is_array());
    let report = app.get(&key, "/v1/candidates/cand_4f21/report").await;
    assert_eq!(report.body["compatibility"], r.body["fit_score"]);
    let bad = app.post(&key, "/v1/culture/fit", json!({})).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
}
