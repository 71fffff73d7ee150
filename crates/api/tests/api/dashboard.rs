//! The dashboard's sign-in and sessions, driven as a browser would: forms, cookies,
//! redirects.

use crate::support::TestApp;
use crate::web::{
    PASSWORD, browser, cookie_of, get_html, hidden, post_form, session, sign_in, value,
};
use reqwest::StatusCode;
use reqwest::header::{COOKIE, LOCATION};
use talentd_core::Plan;
use talentd_core::user::Role;

/// An organisation with a user; returns its API key and the user's email.
async fn org_with_user(app: &TestApp, email: &str, role: Role) -> String {
    let (org, key) = app.org_and_key(Plan::Pro).await;
    talentd_api::provision::create_user(
        &*app.store,
        &*app.clock,
        &org,
        email,
        role,
        Some(PASSWORD),
    )
    .await
    .unwrap();
    key
}

#[tokio::test]
async fn pages_need_a_session_and_sign_in_starts_one() {
    let app = TestApp::spawn().await;
    let key = org_with_user(&app, "Ana@Example.com", Role::Admin).await;
    let b = browser();

    let r = b.get(app.url("/dashboard")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        r.headers()[LOCATION],
        "/dashboard/sign-in?next=%2Fdashboard"
    );
    let r = b
        .get(app.url("/dashboard?x=1"))
        .header(COOKIE, "talentd_session=forged")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);

    // Wrong password and unknown email read the same.
    let wrong = sign_in(&app, "ana@example.com", "not the password at all").await;
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    assert!(cookie_of(&wrong, "talentd_session").is_none());
    assert!(
        wrong
            .text()
            .await
            .unwrap()
            .contains("Wrong email or password.")
    );
    let unknown = sign_in(&app, "nobody@example.com", PASSWORD).await;
    assert_eq!(unknown.status(), StatusCode::UNAUTHORIZED);

    // The email is matched whatever its case.
    let ok = sign_in(&app, " ANA@example.com ", PASSWORD).await;
    assert_eq!(ok.status(), StatusCode::SEE_OTHER);
    assert_eq!(ok.headers()[LOCATION], "/dashboard");
    let set = cookie_of(&ok, "talentd_session").unwrap();
    // The tests' public URL is https, so the cookie is Secure.
    for attr in ["HttpOnly", "SameSite=Lax", "Path=/dashboard", "Secure"] {
        assert!(set.contains(attr), "{set}");
    }
    let cookie = format!("talentd_session={}", value(&set));

    app.project(&key, "Backend engineer").await;
    let other = app.org(Plan::Pro).await;
    app.project(&other, "Another company's role").await;
    let home = b
        .get(app.url("/dashboard"))
        .header(COOKIE, &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(home.status(), StatusCode::OK);
    assert_eq!(home.headers()["cache-control"], "no-store");
    let html = home.text().await.unwrap();
    assert!(html.contains("Backend engineer"), "{html}");
    assert!(
        !html.contains("Another company"),
        "one organisation never sees another's"
    );
    assert!(html.contains("/i/"), "the interview link is shown");

    // A session unused for 12 hours ends.
    app.clock.advance(time::Duration::hours(13));
    let r = b
        .get(app.url("/dashboard"))
        .header(COOKIE, &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn forms_without_their_csrf_token_are_refused() {
    let app = TestApp::spawn().await;
    org_with_user(&app, "ana@example.com", Role::Recruiter).await;
    let b = browser();
    // Sign-in without the cookie that matches the form.
    let r = b
        .post(app.url("/dashboard/sign-in"))
        .form(&[
            ("csrf", "x"),
            ("email", "ana@example.com"),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);

    let cookie = session(&app, "ana@example.com").await;
    let r = b
        .post(app.url("/dashboard/sign-out"))
        .header(COOKIE, &cookie)
        .form(&[("csrf", "forged")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let still = b
        .get(app.url("/dashboard"))
        .header(COOKIE, &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(still.status(), StatusCode::OK);
    let csrf = hidden(&still.text().await.unwrap(), "csrf");

    let out = b
        .post(app.url("/dashboard/sign-out"))
        .header(COOKIE, &cookie)
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), StatusCode::SEE_OTHER);
    assert!(
        cookie_of(&out, "talentd_session")
            .unwrap()
            .contains("Max-Age=0")
    );
    let after = b
        .get(app.url("/dashboard"))
        .header(COOKIE, &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(
        after.status(),
        StatusCode::SEE_OTHER,
        "the old cookie is dead"
    );
}

#[tokio::test]
async fn sign_in_attempts_are_limited_per_email() {
    let app = TestApp::spawn().await;
    org_with_user(&app, "ana@example.com", Role::Admin).await;
    for _ in 0..5 {
        let r = sign_in(&app, "ana@example.com", "guess guess guess").await;
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    }
    let r = sign_in(&app, "ana@example.com", PASSWORD).await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(r.headers().get("retry-after").is_some());
    assert!(cookie_of(&r, "talentd_session").is_none());
    // Another account is not locked out by the first one's attempts.
    org_with_user(&app, "bo@example.com", Role::Admin).await;
    assert_eq!(
        sign_in(&app, "bo@example.com", PASSWORD).await.status(),
        StatusCode::SEE_OTHER
    );
    app.clock.advance(time::Duration::minutes(1));
    assert_eq!(
        sign_in(&app, "ana@example.com", PASSWORD).await.status(),
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn users_are_unique_by_email_and_need_strong_passwords() {
    let app = TestApp::spawn().await;
    org_with_user(&app, "ana@example.com", Role::Admin).await;
    let (org, _) = app.org_and_key(Plan::Pro).await;
    let again = talentd_api::provision::create_user(
        &*app.store,
        &*app.clock,
        &org,
        "ANA@example.com",
        Role::Admin,
        Some(PASSWORD),
    )
    .await;
    assert!(
        matches!(again, Err(talentd_api::provision::UserError::Taken)),
        "{again:?}"
    );
    let weak = talentd_api::provision::create_user(
        &*app.store,
        &*app.clock,
        &org,
        "bo@example.com",
        Role::Admin,
        Some("short"),
    )
    .await;
    assert!(
        matches!(weak, Err(talentd_api::provision::UserError::Password(_))),
        "{weak:?}"
    );
    let generated = talentd_api::provision::create_user(
        &*app.store,
        &*app.clock,
        &org,
        "bo@example.com",
        Role::Recruiter,
        None,
    )
    .await
    .unwrap();
    let one_time = generated.password.unwrap();
    assert_eq!(
        sign_in(&app, "bo@example.com", &one_time).await.status(),
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn projects_are_created_edited_and_closed_from_the_dashboard() {
    let app = TestApp::spawn().await;
    let key = org_with_user(&app, "ana@example.com", Role::Recruiter).await;
    let cookie = session(&app, "ana@example.com").await;
    let (status, html) = get_html(&app, &cookie, "/dashboard/projects/new").await;
    assert_eq!(status, StatusCode::OK);
    let csrf = hidden(&html, "csrf");
    assert!(
        html.contains("tpl_software_engineer"),
        "templates are offered"
    );

    // A form without its token, and an invalid one, change nothing.
    let forged = post_form(
        &app,
        &cookie,
        "/dashboard/projects",
        &[("csrf", "x"), ("project_name", "X"), ("instructions", "Y")],
    )
    .await;
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    let blank = post_form(
        &app,
        &cookie,
        "/dashboard/projects",
        &[
            ("csrf", &csrf),
            ("project_name", " "),
            ("instructions", "Ask about teamwork."),
        ],
    )
    .await;
    assert_eq!(blank.status(), StatusCode::BAD_REQUEST);
    assert!(
        blank
            .text()
            .await
            .unwrap()
            .contains("project_name must not be empty")
    );
    let list = app.get(&key, "/v1/projects").await;
    assert_eq!(list.body["total"], 0);

    let created = post_form(
        &app,
        &cookie,
        "/dashboard/projects",
        &[
            ("csrf", &csrf),
            ("project_name", "Support lead"),
            ("company_name", "Acme"),
            ("instructions", "Ask about handling an angry customer."),
            ("template_id", "tpl_customer_support"),
            ("expires_at", "2027-01-31T18:00"),
            ("max_sessions", "50"),
            ("w_empathy", "3"),
            ("w_communication", "2"),
        ],
    )
    .await;
    assert_eq!(created.status(), StatusCode::SEE_OTHER);
    let location = created.headers()[LOCATION].to_str().unwrap().to_owned();
    let id = location.rsplit('/').next().unwrap().to_owned();
    assert!(id.starts_with("prj_"), "{location}");
    let p = app.get(&key, &format!("/v1/projects/{id}")).await;
    assert_eq!(p.body["project_name"], "Support lead");
    assert_eq!(p.body["template_id"], "tpl_customer_support");
    assert_eq!(p.body["expires_at"], "2027-01-31T18:00:00Z");
    assert_eq!(p.body["max_sessions"], 50);
    assert_eq!(p.body["competency_weights"]["leadership"], 0.0);
    assert!(
        p.body["competency_weights"]["empathy"].as_f64().unwrap()
            > p.body["competency_weights"]["communication"]
                .as_f64()
                .unwrap()
    );

    // The project's page shows its link; the list shows the project.
    let (status, html) = get_html(&app, &cookie, &location).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(p.body["interview_url"].as_str().unwrap()));
    let (_, home) = get_html(&app, &cookie, "/dashboard").await;
    assert!(home.contains(&location));

    let edited = post_form(
        &app,
        &cookie,
        &location,
        &[
            ("csrf", &csrf),
            ("project_name", "Support team lead"),
            ("company_name", ""),
            ("instructions", "Ask about handling an angry customer."),
            ("template_id", ""),
            ("expires_at", ""),
            ("max_sessions", ""),
        ],
    )
    .await;
    assert_eq!(edited.status(), StatusCode::SEE_OTHER);
    let p = app.get(&key, &format!("/v1/projects/{id}")).await;
    assert_eq!(p.body["project_name"], "Support team lead");
    assert!(p.body["company_name"].is_null());
    assert!(p.body["expires_at"].is_null());
    assert!(p.body["max_sessions"].is_null());

    let closed = post_form(
        &app,
        &cookie,
        &format!("{location}/close"),
        &[("csrf", &csrf)],
    )
    .await;
    assert_eq!(closed.status(), StatusCode::SEE_OTHER);
    let p = app.get(&key, &format!("/v1/projects/{id}")).await;
    assert_eq!(p.body["status"], "completed");

    // Another organisation's user finds nothing there.
    org_with_user(&app, "eve@other.example", Role::Admin).await;
    let eve = session(&app, "eve@other.example").await;
    let (status, _) = get_html(&app, &eve, &location).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let r = post_form(
        &app,
        &eve,
        &format!("{location}/close"),
        &[("csrf", "whatever")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_transcript_uploaded_from_the_dashboard_is_read_and_decided_on() {
    let app = TestApp::spawn().await;
    let key = org_with_user(&app, "ana@example.com", Role::Recruiter).await;
    let cookie = session(&app, "ana@example.com").await;
    let (_, html) = get_html(&app, &cookie, "/dashboard/interviews").await;
    let csrf = hidden(&html, "csrf");
    let up = post_form(
        &app,
        &cookie,
        "/dashboard/interviews",
        &[
            ("csrf", csrf.as_str()),
            ("candidate_id", "cand_77"),
            ("candidate_name", "Alex Kim"),
            ("vacancy_id", "backend"),
            ("transcript", &crate::fixtures::strong_text()),
        ],
    )
    .await;
    assert_eq!(up.status(), StatusCode::SEE_OTHER);
    let page_url = up.headers()[LOCATION].to_str().unwrap().to_owned();
    let id = page_url.rsplit('/').next().unwrap().to_owned();

    // While processing, the list refreshes itself and a decision waits for the analysis.
    let r = browser()
        .get(app.url("/dashboard/interviews"))
        .header(COOKIE, &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["refresh"], "5");
    let early = post_form(
        &app,
        &cookie,
        &format!("{page_url}/decision"),
        &[
            ("csrf", &csrf),
            ("recommendation", "consider"),
            ("reason", "Too early"),
        ],
    )
    .await;
    assert_eq!(early.status(), StatusCode::CONFLICT);

    assert_eq!(app.run_jobs().await, 1);
    let (status, html) = get_html(&app, &cookie, &page_url).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Alex Kim"));
    assert!(
        html.contains("<svg id=\"score-chart\""),
        "scores drawn as SVG"
    );
    // Every quote links to a transcript segment that is on the page.
    let links: Vec<&str> = html
        .split("class=\"quote\" href=\"#")
        .skip(1)
        .map(|s| &s[..s.find('"').unwrap()])
        .collect();
    assert!(!links.is_empty(), "evidence quotes are links");
    for l in &links {
        assert!(
            html.contains(&format!("id=\"{l}\"")),
            "{l} is not on the page"
        );
    }
    let (_, list) = get_html(
        &app,
        &cookie,
        "/dashboard/interviews?status=completed&source=upload",
    )
    .await;
    assert!(list.contains(&page_url));
    let (_, none) = get_html(&app, &cookie, "/dashboard/interviews?source=live").await;
    assert!(!none.contains(&page_url));

    let ai = app.get(&key, &format!("/v1/interviews/{id}")).await;
    assert!(ai.body["human_recommendation"].is_null());
    let ai_recommendation = ai.body["analysis"]["recommendation"].clone();
    let bad = post_form(
        &app,
        &cookie,
        &format!("{page_url}/decision"),
        &[
            ("csrf", &csrf),
            ("recommendation", "hire!"),
            ("reason", "x"),
        ],
    )
    .await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    let done = post_form(
        &app,
        &cookie,
        &format!("{page_url}/decision"),
        &[
            ("csrf", &csrf),
            ("recommendation", "not_recommended"),
            ("reason", "Reference check failed"),
        ],
    )
    .await;
    assert_eq!(done.status(), StatusCode::SEE_OTHER);
    app.clock.advance(time::Duration::minutes(5));
    post_form(
        &app,
        &cookie,
        &format!("{page_url}/decision"),
        &[
            ("csrf", &csrf),
            ("recommendation", "consider"),
            ("reason", "Second reference was fine"),
        ],
    )
    .await;
    let both = app.get(&key, &format!("/v1/interviews/{id}")).await;
    assert_eq!(
        both.body["analysis"]["recommendation"], ai_recommendation,
        "the AI's stays as it was"
    );
    assert_eq!(
        both.body["human_recommendation"]["recommendation"],
        "consider"
    );
    assert_eq!(
        both.body["human_recommendation"]["reason"],
        "Second reference was fine"
    );
    assert_eq!(both.body["human_recommendation"]["by"], "ana@example.com");
    let (_, html) = get_html(&app, &cookie, &page_url).await;
    assert!(
        html.contains("Reference check failed") && html.contains("Second reference was fine"),
        "the whole trail is kept"
    );

    // The public report link can be revoked: the old one stops working.
    let old_report = both.body["report_url"]
        .as_str()
        .unwrap()
        .replace(crate::support::PUBLIC_URL, "");
    assert_eq!(
        browser()
            .get(app.url(&old_report))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
    let r = post_form(
        &app,
        &cookie,
        &format!("{page_url}/report-link"),
        &[("csrf", &csrf)],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        browser()
            .get(app.url(&old_report))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::NOT_FOUND
    );
    let new_report = app.get(&key, &format!("/v1/interviews/{id}")).await.body["report_url"]
        .as_str()
        .unwrap()
        .replace(crate::support::PUBLIC_URL, "");
    assert_ne!(new_report, old_report);
    let report = browser().get(app.url(&new_report)).send().await.unwrap();
    assert_eq!(report.status(), StatusCode::OK);
    // The report has the candidate page's content without its controls.
    let report = report.text().await.unwrap();
    assert!(report.contains("Recruiter&#39;s decision") || report.contains("Recruiter's decision"));
    assert!(report.contains("Second reference was fine"));
    assert!(report.contains("id=\"score-chart\""));
    assert!(
        !report.contains("name=\"csrf\""),
        "no forms on the public report"
    );

    // Another organisation sees none of it.
    org_with_user(&app, "eve@other.example", Role::Admin).await;
    let eve = session(&app, "eve@other.example").await;
    let (status, _) = get_html(&app, &eve, &page_url).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, html) = get_html(&app, &eve, "/dashboard/interviews").await;
    assert!(!html.contains("Alex Kim"));
    let eve_csrf = hidden(&html, "csrf");
    let r = post_form(
        &app,
        &eve,
        &format!("{page_url}/decision"),
        &[
            ("csrf", &eve_csrf),
            ("recommendation", "consider"),
            ("reason", "x"),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let r = post_form(
        &app,
        &eve,
        &format!("{page_url}/report-link"),
        &[("csrf", &eve_csrf)],
    )
    .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}

fn revealed(html: &str) -> String {
    let at = html.find("id=\"secret\">").expect("a revealed secret") + 12;
    html[at..at + html[at..].find('<').unwrap()].to_owned()
}

#[tokio::test]
async fn admins_manage_keys_webhooks_and_users_and_recruiters_cannot() {
    let app = TestApp::spawn().await;
    org_with_user(&app, "ana@example.com", Role::Admin).await;
    let cookie = session(&app, "ana@example.com").await;
    let (status, html) = get_html(&app, &cookie, "/dashboard/settings").await;
    assert_eq!(status, StatusCode::OK);
    let csrf = hidden(&html, "csrf");

    // A new key is shown once and works.
    let r = post_form(
        &app,
        &cookie,
        "/dashboard/settings/api-keys",
        &[("csrf", &csrf), ("name", "ats")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK);
    let key = revealed(&r.text().await.unwrap());
    assert!(key.starts_with("tk_live_"));
    assert_eq!(app.get(&key, "/v1/projects").await.status, StatusCode::OK);
    let (_, html) = get_html(&app, &cookie, "/dashboard/settings").await;
    assert!(!html.contains(&key), "never shown again");
    let key_id = app.get(&key, "/v1/api-keys").await.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["name"] == "ats")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    // Rotating shows a new key and stops the old one.
    let r = post_form(
        &app,
        &cookie,
        &format!("/dashboard/settings/api-keys/{key_id}/rotate"),
        &[("csrf", &csrf)],
    )
    .await;
    let rotated = revealed(&r.text().await.unwrap());
    assert_ne!(rotated, key);
    assert_eq!(
        app.get(&key, "/v1/projects").await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.get(&rotated, "/v1/projects").await.status,
        StatusCode::OK
    );
    // Keys made in the same instant have no order: find the live "ats" key by name.
    let keys = app.get(&rotated, "/v1/api-keys").await.body;
    let new_id = keys["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["name"] == "ats" && k["revoked_at"].is_null())
        .unwrap_or_else(|| panic!("{keys}"))["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let r = post_form(
        &app,
        &cookie,
        &format!("/dashboard/settings/api-keys/{new_id}/revoke"),
        &[("csrf", &csrf)],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        app.get(&rotated, "/v1/projects").await.status,
        StatusCode::UNAUTHORIZED
    );

    // A webhook with its secret shown once; a bad URL is refused with the reason.
    let r = browser()
        .post(app.url("/dashboard/settings/webhooks"))
        .header(COOKIE, &cookie)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("csrf={csrf}&url=http%3A%2F%2F127.0.0.1%3A9%2Fhook&events=interview.completed&events=report.ready"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.unwrap();
    assert!(revealed(&html).starts_with("whsec_"), "{html}");
    assert!(html.contains("interview.completed, report.ready"));
    let bad = post_form(
        &app,
        &cookie,
        "/dashboard/settings/webhooks",
        &[
            ("csrf", &csrf),
            ("url", "ftp://x"),
            ("events", "report.ready"),
        ],
    )
    .await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);

    // A recruiter added here signs in with the one-time password, and may not see settings.
    let r = post_form(
        &app,
        &cookie,
        "/dashboard/settings/users",
        &[
            ("csrf", &csrf),
            ("email", "rae@example.com"),
            ("role", "recruiter"),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK);
    let password = revealed(&r.text().await.unwrap());
    let r = sign_in(&app, "rae@example.com", &password).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let rae = format!(
        "talentd_session={}",
        value(&cookie_of(&r, "talentd_session").unwrap())
    );
    let (status, _) = get_html(&app, &rae, "/dashboard/settings").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (_, home) = get_html(&app, &rae, "/dashboard").await;
    let rae_csrf = hidden(&home, "csrf");
    let r = post_form(
        &app,
        &rae,
        "/dashboard/settings/api-keys",
        &[("csrf", &rae_csrf), ("name", "sneaky")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let again = post_form(
        &app,
        &cookie,
        "/dashboard/settings/users",
        &[
            ("csrf", &csrf),
            ("email", "RAE@example.com"),
            ("role", "admin"),
        ],
    )
    .await;
    assert_eq!(again.status(), StatusCode::BAD_REQUEST);
}

/// A forced-distribution sort of the 54 statements: in the instrument's order, or reversed.
fn q_sort(reversed: bool) -> Vec<(String, String)> {
    let items = talentd_analysis::culture::items();
    let mut piles = Vec::new();
    for (p, n) in talentd_analysis::culture::DISTRIBUTION.iter().enumerate() {
        piles.extend(std::iter::repeat_n(p as u8 + 1, *n));
    }
    if reversed {
        piles.reverse();
    }
    items
        .iter()
        .zip(piles)
        .map(|(i, p)| (i.id.to_owned(), p.to_string()))
        .collect()
}

async fn post_sort(
    app: &TestApp,
    cookie: &str,
    csrf: &str,
    sort: Vec<(String, String)>,
    replace: bool,
) -> reqwest::Response {
    let mut form = vec![("csrf".to_owned(), csrf.to_owned())];
    form.extend(sort);
    if replace {
        form.push(("replace".into(), "1".into()));
    }
    browser()
        .post(app.url("/dashboard/culture"))
        .header(COOKIE, cookie)
        .form(&form)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn colleagues_sort_the_culture_profile_and_their_agreement_is_shown() {
    let app = TestApp::spawn().await;
    let key = org_with_user(&app, "ana@example.com", Role::Recruiter).await;
    let cookie = session(&app, "ana@example.com").await;
    let (status, html) = get_html(&app, &cookie, "/dashboard/culture").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(html.matches("<select").count(), 54);
    assert!(html.contains("id=\"dimensions\""));
    let csrf = hidden(&html, "csrf");

    let mut bad = q_sort(false);
    bad[0].1 = "9".into();
    let r = post_sort(&app, &cookie, &csrf, bad, false).await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        app.get(&key, "/v1/culture/profile").await.body["source"],
        "default"
    );

    let r = post_sort(&app, &cookie, &csrf, q_sort(false), false).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let p = app.get(&key, "/v1/culture/profile").await;
    assert_eq!(p.body["source"], "company");
    assert_eq!(p.body["raters"], 1);
    assert_eq!(p.body["parameters"][0]["value"], 1.0);

    // A second colleague's sort is averaged in; opposite sorts disagree.
    let r = post_sort(&app, &cookie, &csrf, q_sort(true), false).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let p = app.get(&key, "/v1/culture/profile").await;
    assert_eq!(p.body["raters"], 2);
    assert!(p.body["agreement"].as_f64().unwrap() < 0.0, "{}", p.body);
    let (_, html) = get_html(&app, &cookie, "/dashboard/culture").await;
    assert!(html.contains("2 rater(s)"));

    let r = post_sort(&app, &cookie, &csrf, q_sort(true), true).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let p = app.get(&key, "/v1/culture/profile").await;
    assert_eq!(p.body["raters"], 1);
    assert_eq!(p.body["parameters"][0]["value"], 9.0);
}

#[tokio::test]
async fn candidates_are_compared_side_by_side_by_any_criterion() {
    let app = TestApp::spawn().await;
    let key = org_with_user(&app, "ana@example.com", Role::Recruiter).await;
    let cookie = session(&app, "ana@example.com").await;
    let strong = app
        .interview(&key, "cand_strong", "backend", crate::fixtures::strong())
        .await;
    app.interview(&key, "cand_weak", "backend", crate::fixtures::weak())
        .await;
    assert_eq!(app.run_jobs().await, 2);

    let (_, list) = get_html(&app, &cookie, "/dashboard/interviews").await;
    assert!(
        list.contains("name=\"c\" value=\"cand_strong\""),
        "completed interviews can be ticked"
    );
    let (status, html) = get_html(
        &app,
        &cookie,
        "/dashboard/compare?c=cand_weak&c=cand_strong&criteria=leadership",
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let first = html.find("data-candidate=\"cand_strong\"").unwrap();
    let second = html.find("data-candidate=\"cand_weak\"").unwrap();
    assert!(first < second, "the stronger leader ranks first");
    let api = app
        .post(&key, "/v1/candidates/compare", serde_json::json!({"candidate_ids": ["cand_weak", "cand_strong"], "criteria": "leadership"}))
        .await;
    assert_eq!(
        api.body["ranking"][0]["candidate_id"], "cand_strong",
        "the same ranking as the API"
    );
    let (status, _) = get_html(&app, &cookie, "/dashboard/compare?c=cand_strong").await;
    assert_eq!(
        status,
        StatusCode::BAD_REQUEST,
        "one candidate is not a comparison"
    );
    let (status, _) = get_html(
        &app,
        &cookie,
        "/dashboard/compare?c=cand_strong&c=cand_weak&criteria=height",
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    // The candidate page draws the culture fit beside the company's profile.
    let (_, page) = get_html(&app, &cookie, &format!("/dashboard/interviews/{strong}")).await;
    assert!(page.contains("id=\"fit-chart\""), "culture fit drawn");
}

#[tokio::test]
async fn a_webhook_is_tested_and_its_deliveries_replayed_from_the_dashboard() {
    let app = TestApp::spawn().await;
    org_with_user(&app, "ana@example.com", Role::Admin).await;
    let cookie = session(&app, "ana@example.com").await;
    let (_, html) = get_html(&app, &cookie, "/dashboard/settings").await;
    let csrf = hidden(&html, "csrf");
    let rx = crate::receiver::Receiver::start().await;
    let r = post_form(
        &app,
        &cookie,
        "/dashboard/settings/webhooks",
        &[
            ("csrf", &csrf),
            ("url", &rx.url()),
            ("events", "report.ready"),
        ],
    )
    .await;
    let html = r.text().await.unwrap();
    let at = html
        .find("/dashboard/settings/webhooks/wh_")
        .expect("a link to the webhook");
    let page_url = html[at..at + html[at..].find('"').unwrap()].to_owned();
    app.deliver().await; // the challenge, answered by the receiver
    let (status, html) = get_html(&app, &cookie, &page_url).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(">active<"), "{html}");

    let r = post_form(
        &app,
        &cookie,
        &format!("{page_url}/test"),
        &[("csrf", &csrf)],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    app.deliver().await;
    assert_eq!(rx.of_kind("webhook.test").len(), 1);
    let (_, html) = get_html(&app, &cookie, &page_url).await;
    assert!(html.contains("webhook.test"));
    // The row of the test event (the challenge's delivery is listed too).
    let row = html
        .split("data-delivery=\"")
        .skip(1)
        .find(|row| row.contains("webhook.test"))
        .expect("the test event's delivery");
    let delivery = &row[..row.find('"').unwrap()];
    let r = post_form(
        &app,
        &cookie,
        &format!("{page_url}/deliveries/{delivery}/retry"),
        &[("csrf", &csrf)],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    app.deliver().await;
    let tests = rx.of_kind("webhook.test");
    assert_eq!(tests.len(), 2, "replayed");
    assert_eq!(tests[0].id, tests[1].id, "the event keeps its id");

    org_with_user(&app, "eve@other.example", Role::Admin).await;
    let eve = session(&app, "eve@other.example").await;
    let (status, _) = get_html(&app, &eve, &page_url).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn users_choose_their_language_and_change_their_password() {
    let app = TestApp::spawn().await;
    org_with_user(&app, "ana@example.com", Role::Recruiter).await;
    let cookie = session(&app, "ana@example.com").await;
    let (status, html) = get_html(&app, &cookie, "/dashboard/account").await;
    assert_eq!(status, StatusCode::OK);
    let csrf = hidden(&html, "csrf");

    // The browser's language first, then the user's own choice.
    let r = browser()
        .get(app.url("/dashboard"))
        .header(COOKIE, &cookie)
        .header("accept-language", "ru-RU,ru;q=0.9")
        .send()
        .await
        .unwrap();
    assert!(r.text().await.unwrap().contains("Проекты"));
    let r = post_form(
        &app,
        &cookie,
        "/dashboard/account/language",
        &[("csrf", &csrf), ("language", "en")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = browser()
        .get(app.url("/dashboard"))
        .header(COOKIE, &cookie)
        .header("accept-language", "ru-RU")
        .send()
        .await
        .unwrap();
    let html = r.text().await.unwrap();
    assert!(
        html.contains(">Projects<") && !html.contains("Проекты"),
        "the user's setting wins"
    );
    let r = post_form(
        &app,
        &cookie,
        "/dashboard/account/language",
        &[("csrf", &csrf), ("language", "ru")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, html) = get_html(&app, &cookie, "/dashboard").await;
    assert!(html.contains("Проекты"));

    let wrong = post_form(
        &app,
        &cookie,
        "/dashboard/account/password",
        &[
            ("csrf", &csrf),
            ("current", "not it at all"),
            ("new", "a brand new passphrase"),
        ],
    )
    .await;
    assert_eq!(wrong.status(), StatusCode::BAD_REQUEST);
    let short = post_form(
        &app,
        &cookie,
        "/dashboard/account/password",
        &[("csrf", &csrf), ("current", PASSWORD), ("new", "short")],
    )
    .await;
    assert_eq!(short.status(), StatusCode::BAD_REQUEST);
    let ok = post_form(
        &app,
        &cookie,
        "/dashboard/account/password",
        &[
            ("csrf", &csrf),
            ("current", PASSWORD),
            ("new", "a brand new passphrase"),
        ],
    )
    .await;
    assert_eq!(ok.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        sign_in(&app, "ana@example.com", PASSWORD).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        sign_in(&app, "ana@example.com", "a brand new passphrase")
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
}

/// `secs` seconds of 16 kHz mono silence as a WAV file.
fn silent_wav(secs: f64) -> Vec<u8> {
    let samples = (16_000.0 * secs) as u32;
    let data = samples * 2;
    let mut w = Vec::with_capacity(44 + data as usize);
    w.extend_from_slice(b"RIFF");
    w.extend_from_slice(&(36 + data).to_le_bytes());
    w.extend_from_slice(b"WAVEfmt ");
    w.extend_from_slice(&16u32.to_le_bytes());
    w.extend_from_slice(&1u16.to_le_bytes());
    w.extend_from_slice(&1u16.to_le_bytes());
    w.extend_from_slice(&16_000u32.to_le_bytes());
    w.extend_from_slice(&32_000u32.to_le_bytes());
    w.extend_from_slice(&2u16.to_le_bytes());
    w.extend_from_slice(&16u16.to_le_bytes());
    w.extend_from_slice(b"data");
    w.extend_from_slice(&data.to_le_bytes());
    w.resize(44 + data as usize, 0);
    w
}

#[tokio::test]
async fn recordings_and_transcript_files_are_uploaded_from_the_dashboard() {
    let app = TestApp::spawn().await;
    let key = org_with_user(&app, "ana@example.com", Role::Recruiter).await;
    let cookie = session(&app, "ana@example.com").await;
    let (_, html) = get_html(&app, &cookie, "/dashboard/interviews").await;
    let csrf = hidden(&html, "csrf");
    let form = |csrf: &str, file_field: &'static str, name: &'static str, bytes: Vec<u8>| {
        reqwest::multipart::Form::new()
            .text("csrf", csrf.to_owned())
            .text("candidate_id", "cand_9")
            .text("candidate_name", "Sam Lee")
            .text("vacancy_id", "support")
            // The file input the user left empty, as browsers send it.
            .part(
                if file_field == "media" {
                    "transcript"
                } else {
                    "media"
                },
                reqwest::multipart::Part::bytes(Vec::new()).file_name(""),
            )
            .part(
                file_field,
                reqwest::multipart::Part::bytes(bytes).file_name(name),
            )
    };
    let send = |f: reqwest::multipart::Form| {
        browser()
            .post(app.url("/dashboard/interviews/upload"))
            .header(COOKIE, &cookie)
            .multipart(f)
            .send()
    };

    // A forged form keeps nothing.
    let r = send(form("forged", "media", "call.mp3", vec![1u8; 2048]))
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.get(&key, "/v1/interviews").await.body["total"], 0);
    let kept = std::fs::read_dir(&app.media_dir)
        .map(|d| d.count())
        .unwrap_or(0);
    assert_eq!(kept, 0, "no file left behind");

    let r = send(form(
        &csrf,
        "transcript",
        "call.txt",
        crate::fixtures::strong_text().into_bytes(),
    ))
    .await
    .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let id = r.headers()[LOCATION]
        .to_str()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_owned();
    assert_eq!(app.run_jobs().await, 1);
    let i = app.get(&key, &format!("/v1/interviews/{id}")).await;
    assert_eq!(i.body["status"], "completed", "{}", i.body);

    let r = send(form(&csrf, "media", "call.wav", silent_wav(1.0)))
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let id = r.headers()[LOCATION]
        .to_str()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_owned();
    let i = app.get(&key, &format!("/v1/interviews/{id}")).await;
    assert_eq!(i.body["status"], "processing", "{}", i.body);
    assert_eq!(i.body["speech"], serde_json::Value::Null);
}

#[tokio::test]
async fn admins_change_roles_and_remove_users_but_not_themselves() {
    let app = TestApp::spawn().await;
    let (org, _) = app.org_and_key(Plan::Pro).await;
    for (email, role) in [
        ("ana@example.com", Role::Admin),
        ("rae@example.com", Role::Recruiter),
    ] {
        talentd_api::provision::create_user(
            &*app.store,
            &*app.clock,
            &org,
            email,
            role,
            Some(PASSWORD),
        )
        .await
        .unwrap();
    }
    let ana = session(&app, "ana@example.com").await;
    let rae = session(&app, "rae@example.com").await;
    let (_, html) = get_html(&app, &ana, "/dashboard/settings").await;
    let csrf = hidden(&html, "csrf");
    let user_id = |email: &str| {
        let org = org.clone();
        let store = app.store.clone();
        let email = email.to_owned();
        async move {
            store
                .list_users(&org)
                .await
                .unwrap()
                .into_iter()
                .find(|u| u.email == email)
                .unwrap()
                .id
                .to_string()
        }
    };
    let rae_id = user_id("rae@example.com").await;
    let ana_id = user_id("ana@example.com").await;

    assert_eq!(
        get_html(&app, &rae, "/dashboard/settings").await.0,
        StatusCode::FORBIDDEN
    );
    let r = post_form(
        &app,
        &ana,
        &format!("/dashboard/settings/users/{rae_id}/role"),
        &[("csrf", &csrf), ("role", "admin")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        get_html(&app, &rae, "/dashboard/settings").await.0,
        StatusCode::OK,
        "promoted"
    );

    let own = post_form(
        &app,
        &ana,
        &format!("/dashboard/settings/users/{ana_id}/role"),
        &[("csrf", &csrf), ("role", "recruiter")],
    )
    .await;
    assert_eq!(own.status(), StatusCode::CONFLICT, "no locking oneself out");
    let own = post_form(
        &app,
        &ana,
        &format!("/dashboard/settings/users/{ana_id}/delete"),
        &[("csrf", &csrf)],
    )
    .await;
    assert_eq!(own.status(), StatusCode::CONFLICT);

    let r = post_form(
        &app,
        &ana,
        &format!("/dashboard/settings/users/{rae_id}/delete"),
        &[("csrf", &csrf)],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        get_html(&app, &rae, "/dashboard").await.0,
        StatusCode::SEE_OTHER,
        "their session ends"
    );
    assert_eq!(
        sign_in(&app, "rae@example.com", PASSWORD).await.status(),
        StatusCode::UNAUTHORIZED
    );

    // Another organisation's admin cannot touch these users.
    org_with_user(&app, "eve@other.example", Role::Admin).await;
    let eve = session(&app, "eve@other.example").await;
    let (_, html) = get_html(&app, &eve, "/dashboard/settings").await;
    let eve_csrf = hidden(&html, "csrf");
    let r = post_form(
        &app,
        &eve,
        &format!("/dashboard/settings/users/{ana_id}/delete"),
        &[("csrf", &eve_csrf)],
    )
    .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        sign_in(&app, "ana@example.com", PASSWORD).await.status(),
        StatusCode::SEE_OTHER
    );
}

/// What a reader of the page sees: its text (title included, scripts and styles left
/// out) and its aria-labels and titles.
fn page_text(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(at) = rest.find('<') {
        out.push_str(&rest[..at]);
        out.push(' ');
        let tag = &rest[at..];
        let skip_to = ["script", "style"]
            .iter()
            .find(|t| tag[1..].starts_with(**t))
            .map(|t| format!("</{t}>"));
        let end = match skip_to {
            Some(close) => tag.find(&close).map(|e| e + close.len()),
            None => tag.find('>').map(|e| e + 1),
        }
        .unwrap_or(tag.len());
        for attr in ["aria-label=\"", "title=\"", "placeholder=\""] {
            if let Some(a) = tag[..end].find(attr) {
                let v = &tag[a + attr.len()..end];
                out.push_str(&v[..v.find('"').unwrap_or(0)]);
                out.push(' ');
            }
        }
        rest = &tag[end..];
    }
    out.push_str(rest);
    out.replace("&#39;", "'").replace("&quot;", "\"")
}

#[tokio::test]
async fn a_russian_speaking_recruiter_sees_the_dashboard_in_russian() {
    let app = TestApp::spawn().await;
    let key = org_with_user(&app, "ana@example.com", Role::Admin).await;

    // Before signing in, the browser's language decides.
    let r = browser()
        .get(app.url("/dashboard/sign-in"))
        .header("accept-language", "ru-RU,ru;q=0.9,en;q=0.5")
        .send()
        .await
        .unwrap();
    let html = r.text().await.unwrap();
    assert!(html.contains("<html lang=\"ru\">") && html.contains(">Войти<"));

    // The user's own setting, chosen on the account page, with an English browser.
    let cookie = session(&app, "ana@example.com").await;
    let (_, html) = get_html(&app, &cookie, "/dashboard/account").await;
    assert!(html.contains("Interface language"));
    let csrf = hidden(&html, "csrf");
    let r = post_form(
        &app,
        &cookie,
        "/dashboard/account/language",
        &[("csrf", &csrf), ("language", "ru")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);

    let project = app.project(&key, "Backend engineer").await;
    let project = project["id"].as_str().unwrap().to_owned();
    let interview = app
        .interview(&key, "cand_1", "backend", crate::fixtures::strong())
        .await;
    assert_eq!(app.run_jobs().await, 1);

    let english = [
        "Projects",
        "Interviews",
        "Settings",
        "Upload",
        "Strengths",
        "Recommendation",
        "Risks",
        "Sign out",
        "Save",
        "Status",
        "Created",
        "Culture fit",
        "Your decision",
        "Audit trail",
        "Leadership",
        "Flexibility",
    ];
    let pages: [(&str, &[&str]); 8] = [
        (
            "/dashboard",
            &[
                "<h1>Проекты</h1>",
                "Новый проект",
                "Ссылка на интервью",
                "активен",
            ],
        ),
        (
            "/dashboard/account?saved=1",
            &[
                "Мой профиль",
                "Язык интерфейса",
                "Сохранено.",
                "администратор",
            ],
        ),
        (
            &format!("/dashboard/projects/{project}"),
            &[
                "Копировать ссылку",
                "Сессий пока нет.",
                "Настройки проекта",
                "Лидерство",
            ],
        ),
        (
            "/dashboard/interviews",
            &[
                "<h1>Интервью</h1>",
                "Загрузить расшифровку",
                "Сравнить выбранных",
                "Завершено",
            ],
        ),
        (
            &format!("/dashboard/interviews/{interview}"),
            &[
                "Рекомендация ИИ",
                "Оценки и подтверждающие цитаты",
                "Сильные стороны",
                "Соответствие культуре: ",
                "Ваше решение",
                "Расшифровка",
                "Интервьюер:",
                "Лидерство",
            ],
        ),
        (
            "/dashboard/settings",
            &["<h1>Настройки</h1>", "API-ключи", "Вебхуки", "Пользователи"],
        ),
        (
            "/dashboard/culture",
            &[
                "<h1>Культура</h1>",
                "Ваша сортировка",
                "Гибкость",
                "Профиль ещё не задан",
            ],
        ),
        (
            "/dashboard/interviews/nothing_here",
            &["Такой страницы нет"],
        ),
    ];
    for (path, russian) in pages {
        let (status, html) = get_html(&app, &cookie, path).await;
        assert!(
            status == StatusCode::OK || path.ends_with("nothing_here"),
            "{path}: {status}"
        );
        assert!(html.contains("<html lang=\"ru\">"), "{path}");
        for word in russian {
            assert!(html.contains(word), "{path} lacks {word:?}");
        }
        let text = page_text(&html);
        for word in english {
            assert!(!text.contains(word), "{path} shows {word:?}:\n{text}");
        }
    }

    // Refusals speak Russian too.
    let blank = post_form(
        &app,
        &cookie,
        "/dashboard/projects",
        &[
            ("csrf", &csrf),
            ("project_name", " "),
            ("instructions", "Ask about teamwork."),
        ],
    )
    .await;
    assert_eq!(blank.status(), StatusCode::BAD_REQUEST);
    assert!(
        blank
            .text()
            .await
            .unwrap()
            .contains("Проверьте поле «Должность или проект»")
    );
    let no_reason = post_form(
        &app,
        &cookie,
        &format!("/dashboard/interviews/{interview}/decision"),
        &[
            ("csrf", &csrf),
            ("recommendation", "consider"),
            ("reason", " "),
        ],
    )
    .await;
    assert_eq!(no_reason.status(), StatusCode::BAD_REQUEST);
    assert!(
        no_reason
            .text()
            .await
            .unwrap()
            .contains("Выберите рекомендацию и укажите причину")
    );
    let forged = post_form(
        &app,
        &cookie,
        "/dashboard/account/language",
        &[("csrf", "forged"), ("language", "en")],
    )
    .await;
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    let forged = forged.text().await.unwrap();
    assert!(forged.contains("Доступ запрещён"), "{forged}");
}

/// The fairness page: the adverse-impact tables, the agreement figures and candidates'
/// open requests, with the CSV and the printable summary, in either language.
#[tokio::test]
async fn the_fairness_page_shows_adverse_impact_agreement_and_candidates_requests() {
    let app = TestApp::spawn().await;
    let key = org_with_user(&app, "rita@example.com", Role::Recruiter).await;
    let other = app.org(Plan::Pro).await;
    let cookie = session(&app, "rita@example.com").await;
    let a = app
        .interview(&key, "cand-1", "engineer", crate::fixtures::strong())
        .await;
    app.interview(&key, "cand-2", "engineer", crate::fixtures::weak())
        .await;
    for (c, sex) in [("cand-1", "female"), ("cand-2", "male")] {
        let r = app
            .send(
                app.request(
                    reqwest::Method::PUT,
                    &key,
                    &format!("/v1/candidates/{c}/demographics"),
                )
                .json(&serde_json::json!({"sex": sex})),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    }
    assert_eq!(app.run_jobs().await, 2);
    let d = app
        .post(
            &key,
            &format!("/v1/interviews/{a}/decisions"),
            serde_json::json!({"recommendation": "recommended", "reason": "Good call."}),
        )
        .await;
    assert_eq!(d.status, StatusCode::CREATED, "{}", d.body);
    let project = app.project(&key, "Analyst").await;
    let link = project["interview_url"]
        .as_str()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_owned();
    let asked = app
        .send(
            app.client
                .post(app.url(&format!("/v1/public/links/{link}/requests")))
                .json(&serde_json::json!({"kind": "deletion", "name": "Vera", "email": "vera@example.com"})),
        )
        .await;
    assert_eq!(asked.status, StatusCode::CREATED, "{}", asked.body);

    let (status, html) = get_html(&app, &cookie, "/dashboard/reports").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("Adverse impact") && html.contains("2 candidates"),
        "{html}"
    );
    assert!(html.contains("2 answered the voluntary questions"));
    assert!(html.contains("Female") && html.contains("Male"));
    assert!(html.contains("id=\"decisions\">1<"), "one decision counted");
    assert!(html.contains("vera@example.com") && html.contains("Delete my data"));
    assert!(html.contains("href=\"/dashboard/reports\" aria-current=\"page\""));

    let csv = browser()
        .get(app.url("/dashboard/reports/adverse-impact.csv"))
        .header(COOKIE, &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(csv.status(), StatusCode::OK);
    let text = csv.text().await.unwrap();
    assert!(text.starts_with("grouping,table,category"));
    assert!(text.contains("sex,ai_selection,female,Female,1,"), "{text}");
    let (status, print) = get_html(&app, &cookie, "/dashboard/reports/adverse-impact/print").await;
    assert_eq!(status, StatusCode::OK);
    assert!(print.contains("Adverse-impact report"));

    // Another organisation's project is not found.
    let theirs = app.project(&other, "Theirs").await;
    let (status, _) = get_html(
        &app,
        &cookie,
        &format!(
            "/dashboard/reports?project_id={}",
            theirs["id"].as_str().unwrap()
        ),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // Resolving needs the form's token.
    let rid = asked.body["id"].as_str().unwrap();
    let path = format!("/dashboard/reports/requests/{rid}/resolve");
    let forged = post_form(&app, &cookie, &path, &[("csrf", "forged")]).await;
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    let csrf = hidden(&html, "csrf");
    let done = post_form(&app, &cookie, &path, &[("csrf", csrf.as_str())]).await;
    assert_eq!(done.status(), StatusCode::SEE_OTHER);
    let (_, after) = get_html(&app, &cookie, "/dashboard/reports").await;
    assert!(after.contains("No open requests."));

    let ru = browser()
        .get(app.url("/dashboard/reports"))
        .header(COOKIE, &cookie)
        .header("accept-language", "ru-RU,ru;q=0.9")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        ru.contains("Справедливость") && ru.contains("Женщины"),
        "{ru}"
    );
}

#[tokio::test]
async fn the_candidates_explanation_is_linked_from_the_interview_page() {
    let app = TestApp::spawn().await;
    let key = org_with_user(&app, "eve@acme.io", Role::Recruiter).await;
    let cookie = session(&app, "eve@acme.io").await;
    let id = app
        .interview(&key, "cand_expl", "backend", crate::fixtures::strong())
        .await;
    app.run_jobs().await;
    let (_, html) = get_html(&app, &cookie, &format!("/dashboard/interviews/{id}")).await;
    let link = "/dashboard/candidates/cand_expl/explanation";
    assert!(html.contains(&format!("href=\"{link}\"")), "{html}");
    let (status, html) = get_html(&app, &cookie, link).await;
    assert_eq!(status, StatusCode::OK);
    let text = page_text(&html);
    assert!(text.contains("Explanation for the candidate"), "{text}");
    assert!(text.contains("How your interview result came about"));
    assert!(text.contains("Overall result:"));
    let (status, _) = get_html(&app, &cookie, "/dashboard/candidates/nobody/explanation").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let other = app.org(Plan::Pro).await;
    app.interview(&other, "cand_theirs", "backend", crate::fixtures::strong())
        .await;
    let (status, html) = get_html(
        &app,
        &cookie,
        "/dashboard/candidates/cand_theirs/explanation",
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{html}");
}
