//! Trust: voluntary demographics that never reach scoring, the adverse-impact and
//! agreement reports, recruiters' decisions through the API, and candidates' requests
//! from the interview page.

use crate::fixtures::{strong, weak};
use crate::support::{Resp, TestApp};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use talentd_core::Plan;

async fn put(app: &TestApp, key: &str, path: &str, body: Value) -> Resp {
    app.send(app.request(Method::PUT, key, path).json(&body))
        .await
}

async fn demographics(app: &TestApp, key: &str, candidate: &str, body: Value) {
    let r = put(
        app,
        key,
        &format!("/v1/candidates/{candidate}/demographics"),
        body,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["recorded"], true);
}

/// The AI's recommendation of a completed interview.
async fn recommendation(app: &TestApp, key: &str, interview: &str) -> String {
    let r = app.get(key, &format!("/v1/interviews/{interview}")).await;
    assert_eq!(r.body["status"], "completed", "{}", r.body);
    r.body["analysis"]["recommendation"]
        .as_str()
        .expect("a recommendation")
        .to_owned()
}

/// A long, concrete interview: enough evidence for the AI to recommend.
fn convincing() -> Value {
    let answers = [
        "Last year I led the migration of our billing system to a new platform. I organised a team of five engineers, split the work into two-week milestones and set up a weekly review with finance. When two people disagreed about the data model I ran a short design session and we chose the simpler schema. We shipped a week early and cut invoice errors by forty percent.",
        "During a production outage last spring I stayed calm, wrote down what we knew, assigned one person to customer updates and focused on the logs myself. I found the faulty configuration change and rolled it back. We restored service in forty minutes and I wrote the post-mortem the next morning so the team could add an alert, and we have not had that failure since.",
        "When a junior colleague was struggling with our codebase, I paired with her every morning for two weeks and wrote a short guide to the deployment process. I asked her to explain the trade-offs back to me so I knew she understood. After a month she was shipping features on her own and the guide became part of our onboarding for every new engineer.",
        "In my last role our team disagreed with product about a deadline. I gathered the data on our velocity, proposed cutting two low-value features, and presented the trade-off to the product lead. We agreed on the smaller scope, delivered on the original date, and customer satisfaction for that release rose from 3.9 to 4.4.",
        "I plan each quarter by listing the outcomes we owe, estimating them with the team, and ordering them by risk. I review the plan every Friday and move work early when something slips, so that nobody is surprised. Last quarter we delivered eleven of twelve commitments and told stakeholders about the twelfth three weeks ahead.",
        "When I explain a technical design to people outside engineering, I start with the problem in their words, draw one simple diagram and check what they understood by asking them to tell me the next step. Our sales team now uses my one-page summary of the platform when they talk to customers.",
    ];
    let questions = [
        "Tell me about a project you led.",
        "How do you handle pressure?",
        "How do you help colleagues?",
        "Tell me about a disagreement.",
        "How do you plan your work?",
        "How do you explain technical ideas?",
    ];
    let mut segs = Vec::new();
    let mut t = 0.0;
    for (q, a) in questions.iter().zip(answers) {
        segs.push(json!({"speaker": "interviewer", "text": q, "start": t, "end": t + 4.0}));
        segs.push(json!({"speaker": "candidate", "text": a, "start": t + 4.5, "end": t + 40.0}));
        t += 45.0;
    }
    Value::Array(segs)
}

fn selects(level: &str) -> bool {
    matches!(level, "strongly_recommended" | "recommended")
}

fn line<'a>(table: &'a Value, category: &str) -> &'a Value {
    table["categories"]
        .as_array()
        .and_then(|c| c.iter().find(|l| l["category"] == category))
        .unwrap_or_else(|| panic!("no line {category} in {table}"))
}

/// Identical answers from candidates who reported different demographics get
/// byte-identical analyses, and no candidate-level response carries the answers.
#[tokio::test]
async fn demographics_never_reach_scoring_or_a_candidates_results() {
    let app = TestApp::spawn().await;
    let key = app.org(Plan::Pro).await;
    let a = app.interview(&key, "cand-a", "engineer", strong()).await;
    let b = app.interview(&key, "cand-b", "engineer", strong()).await;
    // Reported before the analysis runs, so that a scoring path reading them could.
    demographics(
        &app,
        &key,
        "cand-a",
        json!({"sex": "female", "race_ethnicity": "asian"}),
    )
    .await;
    demographics(
        &app,
        &key,
        "cand-b",
        json!({"sex": "male", "race_ethnicity": "black_or_african_american"}),
    )
    .await;
    assert_eq!(app.run_jobs().await, 2);
    let ia = app.get(&key, &format!("/v1/interviews/{a}")).await;
    let ib = app.get(&key, &format!("/v1/interviews/{b}")).await;
    assert_eq!(ia.body["status"], "completed");
    assert_eq!(ia.body["analysis"], ib.body["analysis"]);
    assert_eq!(ia.body["match"], ib.body["match"]);
    // Changing the answers afterwards changes nothing either.
    demographics(
        &app,
        &key,
        "cand-a",
        json!({"sex": "male", "race_ethnicity": "white"}),
    )
    .await;
    let again = app.get(&key, &format!("/v1/interviews/{a}")).await;
    assert_eq!(again.body["analysis"], ia.body["analysis"]);

    for path in [
        format!("/v1/interviews/{a}"),
        "/v1/candidates/cand-a".to_owned(),
        "/v1/candidates/cand-a/score".to_owned(),
        "/v1/candidates/cand-a/report".to_owned(),
        "/v1/interviews".to_owned(),
    ] {
        let r = app.get(&key, &path).await;
        assert_eq!(r.status, StatusCode::OK, "{path}: {}", r.body);
        let text = r.body.to_string();
        for word in ["race_ethnicity", "\"sex\"", "white", "asian"] {
            assert!(!text.contains(word), "{path} shows {word}: {text}");
        }
    }
    // No scoring crate can read them: none of their sources names them.
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    for krate in ["analysis", "jobs", "interviewer", "llm", "stt", "audio"] {
        for entry in walk(&root.join(krate).join("src")) {
            let text = std::fs::read_to_string(&entry).unwrap_or_default();
            for word in ["demographics", "race_ethnicity", "RaceEthnicity"] {
                assert!(!text.contains(word), "{} mentions {word}", entry.display());
            }
        }
    }
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
    assert!(!out.is_empty() || !dir.exists());
    out
}

#[tokio::test]
async fn demographics_are_validated_and_another_organisations_candidate_is_404() {
    let app = TestApp::spawn().await;
    let key = app.org(Plan::Pro).await;
    let other = app.org(Plan::Pro).await;
    app.interview(&key, "cand-v", "engineer", strong()).await;
    let bad = put(
        &app,
        &key,
        "/v1/candidates/cand-v/demographics",
        json!({"sex": "robot"}),
    )
    .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(bad.param(), Some("sex"));
    let unknown = put(
        &app,
        &key,
        "/v1/candidates/cand-v/demographics",
        json!({"age": 40}),
    )
    .await;
    assert_eq!(unknown.status, StatusCode::BAD_REQUEST);
    let elsewhere = put(
        &app,
        &other,
        "/v1/candidates/cand-v/demographics",
        json!({"sex": "female"}),
    )
    .await;
    assert_eq!(elsewhere.status, StatusCode::NOT_FOUND);
    assert_eq!(elsewhere.error_code(), "not_found");
    // A candidate whose erasure was requested takes no new answers.
    app.interview(&key, "cand-e", "engineer", strong()).await;
    let erased = app.delete(&key, "/v1/candidates/cand-e").await;
    assert_eq!(erased.status, StatusCode::ACCEPTED, "{}", erased.body);
    let late = put(
        &app,
        &key,
        "/v1/candidates/cand-e/demographics",
        json!({"sex": "female"}),
    )
    .await;
    assert_eq!(late.status, StatusCode::NOT_FOUND);
    // Withdrawing: nothing is kept.
    let withdrawn = put(
        &app,
        &key,
        "/v1/candidates/cand-v/demographics",
        json!({"sex": null, "race_ethnicity": null}),
    )
    .await;
    assert_eq!(withdrawn.status, StatusCode::OK);
    assert_eq!(withdrawn.body["recorded"], false);
}

/// Six candidates with known answers and outcomes; the report's lines are what the
/// interviews' own recommendations and the recorded decisions add up to.
#[tokio::test]
async fn the_adverse_impact_report_adds_up_the_candidates_answers_and_outcomes() {
    let app = TestApp::spawn().await;
    let key = app.org(Plan::Pro).await;
    let people = [
        (
            "s-f",
            convincing(),
            Some(json!({"sex": "female", "race_ethnicity": "asian"})),
        ),
        (
            "s-m",
            convincing(),
            Some(json!({"sex": "male", "race_ethnicity": "white"})),
        ),
        (
            "w-f",
            weak(),
            Some(json!({"sex": "female", "race_ethnicity": "white"})),
        ),
        (
            "w-m",
            weak(),
            Some(json!({"sex": "male", "race_ethnicity": "asian"})),
        ),
        ("s-u", convincing(), None),
        ("w-p", weak(), Some(json!({"sex": "prefer_not_to_say"}))),
    ];
    let mut ids = std::collections::BTreeMap::new();
    for (c, transcript, answers) in &people {
        ids.insert(
            *c,
            app.interview(&key, c, "engineer", transcript.clone()).await,
        );
        if let Some(a) = answers {
            demographics(&app, &key, c, a.clone()).await;
        }
    }
    assert_eq!(app.run_jobs().await, people.len());
    let mut recs = std::collections::BTreeMap::new();
    for (c, id) in &ids {
        recs.insert(*c, recommendation(&app, &key, id).await);
    }
    // The two transcripts must land on different sides, or the test proves little.
    assert!(selects(&recs["s-f"]) && !selects(&recs["w-f"]), "{recs:?}");

    // Recruiters' decisions: the strong woman is turned down, the strong man taken.
    for (c, level) in [("s-f", "not_recommended"), ("s-m", "recommended")] {
        let r = app
            .post(
                &key,
                &format!("/v1/interviews/{}/decisions", ids[c]),
                json!({"recommendation": level, "reason": "Panel review."}),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    }
    // A second, newer interview of one candidate replaces their first in the report.
    let second = app.interview(&key, "w-m", "engineer", weak()).await;
    app.clock.advance(time::Duration::seconds(5));
    assert_eq!(app.run_jobs().await, 1);
    recommendation(&app, &key, &second).await;

    let r = app.get(&key, "/v1/reports/adverse-impact").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let rep = &r.body["report"];
    assert_eq!(rep["candidates"], 6);
    assert_eq!(rep["reported"], 5);
    assert_eq!(r.body["threshold"], 0.8);
    let sex = &rep["groupings"][0];
    assert_eq!(sex["name"], "sex");
    let ai = &sex["ai_selection"];
    // s-u did not answer and w-p preferred not to say.
    assert_eq!(ai["unknown"], 2);
    assert_eq!(ai["total"], 6);
    for (category, members) in [("female", ["s-f", "w-f"]), ("male", ["s-m", "w-m"])] {
        let l = line(ai, category);
        let selected = members.iter().filter(|m| selects(&recs[**m])).count();
        assert_eq!(l["count"], 2, "{l}");
        assert_eq!(l["positive"], selected, "{l}");
    }
    let human = &sex["human_selection"];
    assert_eq!(human["total"], 2);
    assert_eq!(line(human, "female")["positive"], 0);
    assert_eq!(line(human, "male")["positive"], 1);
    assert_eq!(line(human, "female")["impact_ratio"], 0.0);
    assert_eq!(line(human, "female")["flagged"], true);
    let flags: Vec<&str> = rep["flags"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(flags.contains(&"sex/human_selection/female"), "{flags:?}");
    // Scoring: each scored candidate counted once, the unknowns apart.
    let scoring = &sex["scoring"];
    let counted: u64 = scoring["categories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["count"].as_u64().unwrap())
        .sum();
    assert_eq!(counted + scoring["unknown"].as_u64().unwrap(), 6);
    // Intersectional lines need both answers.
    let both = &rep["groupings"][2];
    assert_eq!(both["name"], "intersectional");
    assert_eq!(line(&both["ai_selection"], "female · asian")["count"], 1);
    assert_eq!(both["ai_selection"]["unknown"], 2);

    // CSV and the printable summary.
    let csv = app.get(&key, "/v1/reports/adverse-impact?format=csv").await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.header("content-type").unwrap().starts_with("text/csv"));
    assert!(
        csv.header("content-disposition")
            .unwrap()
            .contains("adverse-impact.csv")
    );
    let text = csv.body.as_str().unwrap();
    assert!(text.starts_with(
        "grouping,table,category,label,count,positive,rate,impact_ratio,excluded,flagged\n"
    ));
    assert!(
        text.contains("sex,human_selection,female,Female,1,0,0.0000,0.0000,false,true\n"),
        "{text}"
    );
    assert!(
        text.contains("sex,ai_selection,unknown,Unknown,2,,,,,\n"),
        "{text}"
    );
    let html = app
        .get(&key, "/v1/reports/adverse-impact?format=html")
        .await;
    assert_eq!(html.status, StatusCode::OK);
    assert!(
        html.header("content-type")
            .unwrap()
            .starts_with("text/html")
    );
    let page = html.body.as_str().unwrap();
    assert!(page.contains("Adverse-impact report") && page.contains("below four-fifths"));
    assert!(page.contains("All projects"));

    // Agreement: two decisions. The strong woman was moved down across "recommended";
    // the strong man kept the AI's side, at its level only if the AI said `recommended`.
    let ag = app.get(&key, "/v1/reports/agreement").await;
    assert_eq!(ag.status, StatusCode::OK, "{}", ag.body);
    let a = &ag.body["report"];
    assert_eq!(a["decisions"], 2);
    assert!(a["human_lower"].as_u64().unwrap() >= 1, "{a}");
    let same = u64::from(recs["s-m"] == "recommended");
    assert_eq!(a["same_level"], same);
    assert_eq!(a["selection_agreement_rate"], 0.5);
}

#[tokio::test]
async fn reports_are_scoped_to_a_project_of_the_organisation_and_validate_their_query() {
    let app = TestApp::spawn().await;
    let key = app.org(Plan::Pro).await;
    let other = app.org(Plan::Pro).await;
    app.interview(&key, "cand-o", "engineer", strong()).await;
    assert_eq!(app.run_jobs().await, 1);
    let project = app.project(&key, "Backend engineer").await;
    let pid = project["id"].as_str().unwrap();
    // The transcript interview has no project: the project's report is empty.
    let r = app
        .get(
            &key,
            &format!("/v1/reports/adverse-impact?project_id={pid}"),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["project_id"], pid);
    assert_eq!(r.body["report"]["candidates"], 0);
    let all = app.get(&key, "/v1/reports/adverse-impact").await;
    assert_eq!(all.body["report"]["candidates"], 1);
    let html = app
        .get(
            &key,
            &format!("/v1/reports/adverse-impact?project_id={pid}&format=html"),
        )
        .await;
    assert!(
        html.body
            .as_str()
            .unwrap()
            .contains("Project: Backend engineer")
    );
    for path in [
        format!("/v1/reports/adverse-impact?project_id={pid}"),
        format!("/v1/reports/agreement?project_id={pid}"),
    ] {
        let r = app.get(&other, &path).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(r.error_code(), "not_found");
    }
    let bad = app.get(&key, "/v1/reports/adverse-impact?format=xml").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(bad.param(), Some("format"));
    // Another organisation's report counts nothing of this one's.
    let theirs = app.get(&other, "/v1/reports/adverse-impact").await;
    assert_eq!(theirs.body["report"]["candidates"], 0);
}

#[tokio::test]
async fn decisions_through_the_api_are_kept_with_reason_author_and_time() {
    let app = TestApp::spawn().await;
    let (_, key) = app.org_and_key(Plan::Pro).await;
    let other = app.org(Plan::Pro).await;
    let id = app.interview(&key, "cand-d", "engineer", strong()).await;
    let path = format!("/v1/interviews/{id}/decisions");
    let early = app
        .post(
            &key,
            &path,
            json!({"recommendation": "consider", "reason": "Wait."}),
        )
        .await;
    assert_eq!(early.status, StatusCode::CONFLICT, "{}", early.body);
    assert_eq!(app.run_jobs().await, 1);
    let bad = app
        .post(
            &key,
            &path,
            json!({"recommendation": "maybe", "reason": "x"}),
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(bad.param(), Some("recommendation"));
    let empty = app
        .post(
            &key,
            &path,
            json!({"recommendation": "consider", "reason": "  "}),
        )
        .await;
    assert_eq!(empty.param(), Some("reason"));
    let first = app
        .post(
            &key,
            &path,
            json!({"recommendation": "consider", "reason": "Thin on leadership.", "by": "m.ivanova@example.com"}),
        )
        .await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.body);
    assert!(
        first.body["by"]
            .as_str()
            .unwrap()
            .starts_with("m.ivanova@example.com (API key key_")
    );
    app.clock.advance(time::Duration::seconds(60));
    let second = app
        .post(
            &key,
            &path,
            json!({"recommendation": "recommended", "reason": "Strong reference call."}),
        )
        .await;
    assert_eq!(second.status, StatusCode::CREATED);
    let list = app.get(&key, &path).await;
    assert_eq!(list.status, StatusCode::OK);
    let items = list.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["reason"], "Strong reference call.");
    assert_eq!(items[1]["recommendation"], "consider");
    assert!(list.body["ai_recommendation"].is_string());
    let i = app.get(&key, &format!("/v1/interviews/{id}")).await;
    assert_eq!(
        i.body["human_recommendation"]["recommendation"],
        "recommended"
    );
    assert_eq!(i.body["human_recommendation"]["at"], items[0]["at"]);
    // Another organisation can neither read nor add to the trail.
    assert_eq!(app.get(&other, &path).await.status, StatusCode::NOT_FOUND);
    let theirs = app
        .post(
            &other,
            &path,
            json!({"recommendation": "consider", "reason": "x"}),
        )
        .await;
    assert_eq!(theirs.status, StatusCode::NOT_FOUND);
}

async fn public(
    app: &TestApp,
    path: &str,
    token: Option<&str>,
    method: Method,
    body: Value,
) -> Resp {
    let mut req = app.client.request(method, app.url(path)).json(&body);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    app.send(req).await
}

/// A candidate reports demographics and asks for a person instead of the AI from their
/// session; someone who never started asks through the link; the company sees both,
/// gets the events, and resolves them.
#[tokio::test]
async fn candidates_file_requests_and_demographics_from_the_interview_page() {
    let app = TestApp::spawn().await;
    let key = app.org(Plan::Pro).await;
    let other = app.org(Plan::Pro).await;
    let rx = crate::receiver::Receiver::start().await;
    let w = app
        .post(
            &key,
            "/v1/webhooks",
            json!({"url": rx.url(), "events": ["candidate.request_created"]}),
        )
        .await;
    assert_eq!(w.status, StatusCode::OK, "{}", w.body);
    app.deliver().await;
    let project = app.project(&key, "Support lead").await;
    let link = project["interview_url"]
        .as_str()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_owned();
    let started = public(
        &app,
        &format!("/v1/public/links/{link}/sessions"),
        None,
        Method::POST,
        json!({"candidate_name": "Anna Petrova", "consent": true}),
    )
    .await;
    assert_eq!(started.status, StatusCode::CREATED, "{}", started.body);
    let sid = started.body["session_id"].as_str().unwrap();
    let token = started.body["session_token"].as_str().unwrap();

    let answer = public(
        &app,
        &format!("/v1/public/sessions/{sid}/demographics"),
        Some(token),
        Method::PUT,
        json!({"sex": "female", "race_ethnicity": "white"}),
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert_eq!(answer.body, json!({"success": true, "recorded": true}));
    let stranger = public(
        &app,
        &format!("/v1/public/sessions/{sid}/demographics"),
        Some("sst_wrong"),
        Method::PUT,
        json!({"sex": "male"}),
    )
    .await;
    assert_eq!(stranger.status, StatusCode::UNAUTHORIZED);

    let asked = public(
        &app,
        &format!("/v1/public/sessions/{sid}/requests"),
        Some(token),
        Method::POST,
        json!({"kind": "human_alternative", "message": "I would prefer a video call."}),
    )
    .await;
    assert_eq!(asked.status, StatusCode::CREATED, "{}", asked.body);
    assert!(asked.body["id"].as_str().unwrap().starts_with("req_"));
    assert_eq!(asked.body["status"], "open");

    app.clock.advance(time::Duration::seconds(1));
    let no_email = public(
        &app,
        &format!("/v1/public/links/{link}/requests"),
        None,
        Method::POST,
        json!({"kind": "deletion", "name": "Boris"}),
    )
    .await;
    assert_eq!(no_email.status, StatusCode::BAD_REQUEST);
    assert_eq!(no_email.param(), Some("email"));
    let bad_kind = public(
        &app,
        &format!("/v1/public/links/{link}/requests"),
        None,
        Method::POST,
        json!({"kind": "refund", "name": "Boris", "email": "boris@example.com"}),
    )
    .await;
    assert_eq!(bad_kind.param(), Some("kind"));
    let by_link = public(
        &app,
        &format!("/v1/public/links/{link}/requests"),
        None,
        Method::POST,
        json!({"kind": "deletion", "name": "Boris", "email": "boris@example.com"}),
    )
    .await;
    assert_eq!(by_link.status, StatusCode::CREATED, "{}", by_link.body);
    let nowhere = public(
        &app,
        "/v1/public/links/NoSuchLink000000000000000000000/requests",
        None,
        Method::POST,
        json!({"kind": "deletion", "name": "Boris", "email": "boris@example.com"}),
    )
    .await;
    assert_eq!(nowhere.status, StatusCode::NOT_FOUND);

    let list = app.get(&key, "/v1/candidate-requests?status=open").await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    assert_eq!(list.body["total"], 2);
    let items = list.body["items"].as_array().unwrap();
    // Newest first: the link's request, then the session's, tied to its interview.
    assert_eq!(items[0]["email"], "boris@example.com");
    assert_eq!(items[0]["interview_id"], Value::Null);
    assert_eq!(items[1]["kind"], "human_alternative");
    assert_eq!(items[1]["name"], "Anna Petrova");
    assert_eq!(items[1]["project_id"], project["id"]);
    assert!(
        items[1]["interview_id"]
            .as_str()
            .unwrap()
            .starts_with("int_")
    );
    assert_eq!(
        app.get(&other, "/v1/candidate-requests").await.body["total"],
        0
    );

    let events = app
        .get(&key, "/v1/events?type=candidate.request_created")
        .await;
    assert_eq!(events.body["total"], 2, "{}", events.body);
    assert_eq!(events.body["items"][0]["data"]["kind"], "deletion");
    app.deliver().await;
    let delivered = rx.of_kind("candidate.request_created");
    assert_eq!(delivered.len(), 2, "both requests are delivered");
    let secret = w.body["secret"].as_str().unwrap();
    assert!(delivered.iter().all(|d| d.signed_by(secret)));

    let rid = items[1]["id"].as_str().unwrap();
    let path = format!("/v1/candidate-requests/{rid}/resolve");
    assert_eq!(
        app.post(&other, &path, json!({})).await.status,
        StatusCode::NOT_FOUND
    );
    let done = app.post(&key, &path, json!({})).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert_eq!(done.body["status"], "resolved");
    assert!(done.body["resolved_at"].is_string());
    let open = app.get(&key, "/v1/candidate-requests?status=open").await;
    assert_eq!(open.body["total"], 1);
    let bad = app.get(&key, "/v1/candidate-requests?status=closed").await;
    assert_eq!(bad.param(), Some("status"));
}
