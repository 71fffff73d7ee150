//! The candidate page in a real headless Chromium, driven through ChromeDriver against
//! the real `talentd serve`: consent, every question answered by typing, a reload that
//! resumes the session, the closing message; then the session read through the API.
//! Screenshots are written under the target folder.

use super::{Server, client};
use fantoccini::{ClientBuilder, Locator};
use serde_json::{Value, json};
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const ANSWERS: [&str; 3] = [
    "Last year I led the migration of our billing system. I organised a team of five engineers, split the work into two-week milestones and ran a weekly review with finance. We shipped a week early and cut invoice errors by forty percent.",
    "During an outage I stayed calm, assigned one person to customer updates and read the logs myself. I found the bad configuration change and rolled it back. Service was back in forty minutes and my post-mortem added the alert we lacked.",
    "When a new colleague struggled, I paired with her every morning for two weeks and wrote a deployment guide. I asked her to explain the trade-offs back to me. A month later she shipped features alone and the guide became part of onboarding.",
];

/// ChromeDriver on a free port, stopped when dropped.
struct Driver(Child, u16);

impl Driver {
    fn start() -> Self {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .expect("free port");
        let child = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver (Debian package chromium-driver; scripts/system-packages.sh --tests installs it)");
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not start");
            std::thread::sleep(Duration::from_millis(100));
        }
        Driver(child, port)
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A headless Chromium the size of a phone, with `extra` arguments.
async fn browser(driver: &Driver, extra: &[String]) -> fantoccini::Client {
    session(driver, extra, None).await
}

/// A phone `width` × `height` CSS pixels wide, through Chromium's mobile emulation: a
/// headless window is never narrower than 500 px, whatever `--window-size` says.
async fn phone(driver: &Driver, width: u32, height: u32) -> fantoccini::Client {
    let metrics = json!({"deviceMetrics": {"width": width, "height": height, "pixelRatio": 1.0}});
    session(driver, &[], Some(metrics)).await
}

async fn session(
    driver: &Driver,
    extra: &[String],
    mobile_emulation: Option<Value>,
) -> fantoccini::Client {
    let mut args = vec![
        "--headless=new".to_owned(),
        "--no-sandbox".to_owned(),
        "--disable-gpu".to_owned(),
        "--disable-dev-shm-usage".to_owned(),
        "--window-size=412,915".to_owned(),
    ];
    args.extend(extra.iter().cloned());
    let mut options = json!({"binary": "/usr/bin/chromium", "args": args});
    if let Some(m) = mobile_emulation {
        options["mobileEmulation"] = m;
    }
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(
            json!({"goog:chromeOptions": options})
                .as_object()
                .unwrap()
                .clone(),
        )
        .connect(&format!("http://127.0.0.1:{}", driver.1))
        .await
        .expect("WebDriver session")
}

/// Creates a project through the API; returns its id and interview link.
async fn project(server: &Server, key: &str, body: Value) -> (String, String) {
    let p: Value = client()
        .post(server.url("/v1/projects"))
        .bearer_auth(key)
        .json(&body)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    (
        p["id"].as_str().expect("project id").to_owned(),
        p["interview_url"].as_str().expect("link").to_owned(),
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn a_candidate_answers_by_voice_in_a_real_browser() {
    let dir = tempfile::tempdir().unwrap();
    // What the fake microphone says: a 16 kHz WAV, as Chromium's fake capture wants.
    let raw = dir.path().join("raw.wav");
    let wav = dir.path().join("answer.wav");
    let spoken =
        "Last year I led a team of five engineers and we shipped the billing system a week early.";
    let ok = Command::new("espeak-ng")
        .args(["-v", "en-us", "-s", "140", "-w"])
        .arg(&raw)
        .arg(spoken)
        .status()
        .expect("espeak-ng");
    assert!(ok.success());
    let ok = Command::new("ffmpeg")
        .args(["-loglevel", "error", "-y", "-i"])
        .arg(&raw)
        .args(["-af", "apad=pad_dur=2", "-ar", "16000", "-ac", "1"])
        .arg(&wav)
        .status()
        .expect("ffmpeg");
    assert!(ok.success());

    let models = models_dir();
    let mut server = Server::start_env(dir.path(), true, &[("TALENTD_MODELS_DIR", &models)]);
    let key = server.demo_key();
    let (_, link) = project(
        &server,
        &key,
        json!({"project_name": "Engineer", "instructions": "Ask about teamwork."}),
    )
    .await;
    let driver = Driver::start();
    let b = browser(
        &driver,
        &[
            "--use-fake-ui-for-media-stream".to_owned(),
            "--use-fake-device-for-media-stream".to_owned(),
            format!("--use-file-for-fake-audio-capture={}%noloop", wav.display()),
        ],
    )
    .await;
    b.goto(&link).await.unwrap();
    wait_state(&b, &["consent"]).await;
    b.find(Locator::Id("candidate-name"))
        .await
        .unwrap()
        .send_keys("Lee")
        .await
        .unwrap();
    b.find(Locator::Id("consent"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    b.find(Locator::Id("start"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_state(&b, &["chat"]).await;

    let record = b.find(Locator::Id("record")).await.unwrap();
    assert!(
        record.is_displayed().await.unwrap(),
        "the microphone button is offered"
    );
    record.click().await.unwrap();
    tokio::time::sleep(Duration::from_secs(8)).await;
    record.click().await.unwrap();
    // The text comes back into the answer box for the candidate to check.
    let deadline = Instant::now() + Duration::from_secs(60);
    let heard = loop {
        let v = b
            .find(Locator::Id("answer"))
            .await
            .unwrap()
            .prop("value")
            .await
            .unwrap()
            .unwrap_or_default();
        if !v.is_empty() {
            break v;
        }
        let err = b
            .find(Locator::Id("chat-error"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(err.is_empty(), "voice answer failed: {err}");
        assert!(Instant::now() < deadline, "no text came back");
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    let lower = heard.to_lowercase();
    assert!(
        lower.contains("team") && lower.contains("engineers"),
        "{heard}"
    );
    assert!(
        b.find(Locator::Id("heard"))
            .await
            .unwrap()
            .is_displayed()
            .await
            .unwrap()
    );
    assert_eq!(
        count(&b, "#messages .msg.candidate").await,
        0,
        "nothing sent yet"
    );
    shot(&b, "voice.png").await;
    b.find(Locator::Id("send"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_state(&b, &["chat", "done"]).await;
    let mine = b
        .find(Locator::Css("#messages .msg.candidate"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(mine.contains(heard.trim()), "{mine}");
    b.close().await.unwrap();
    let (status, _) = server.terminate();
    assert!(status.success());
}

pub(super) fn models_dir() -> String {
    std::env::var("TALENTD_MODELS_DIR")
        .unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/../../models").to_owned())
}

fn shots_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("browser");
    std::fs::create_dir_all(&dir).expect("screenshot folder");
    dir
}

async fn state(b: &fantoccini::Client) -> String {
    b.execute("return document.body.dataset.state || ''", vec![])
        .await
        .expect("state")
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

/// Waits until the page's state is one of `want`.
async fn wait_state(b: &fantoccini::Client, want: &[&str]) -> String {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let s = state(b).await;
        if want.contains(&s.as_str()) {
            return s;
        }
        assert!(
            Instant::now() < deadline,
            "page state {s:?}, waiting for {want:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Waits until the element's text contains `want`.
async fn wait_text(b: &fantoccini::Client, id: &str, want: &str) {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let text = b.find(Locator::Id(id)).await.unwrap().text().await.unwrap();
        if text.contains(want) {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "#{id} says {text:?}, not {want:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn count(b: &fantoccini::Client, css: &str) -> usize {
    b.find_all(Locator::Css(css)).await.expect("find").len()
}

/// What sticks out of a 390 px screen: empty when the page is no wider than the screen
/// (and the phone has not zoomed out to show a wider page), else the page's width and
/// the elements that reach past the screen's edge.
async fn overflow(b: &fantoccini::Client) -> String {
    const JS: &str = r##"
      var w = window.innerWidth, d = document.documentElement;
      if (d.scrollWidth <= w && w <= 390) return "";
      var out = ["page " + d.scrollWidth + " px, screen " + w + " px"];
      document.querySelectorAll("body *").forEach(function (e) {
        if (e.getBoundingClientRect().right > 391 && out.length < 12) {
          out.push(e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") +
            (typeof e.className === "string" && e.className ? "." + e.className.replace(/ +/g, ".") : ""));
        }
      });
      return out.join(", ");
    "##;
    b.execute(JS, vec![])
        .await
        .expect("measure the page")
        .as_str()
        .unwrap_or("not measured")
        .to_owned()
}

/// The page's first heading.
async fn heading(b: &fantoccini::Client) -> String {
    b.find(Locator::Css("h1"))
        .await
        .expect("a heading")
        .text()
        .await
        .expect("its text")
}

async fn shot(b: &fantoccini::Client, name: &str) {
    let png = b.screenshot().await.expect("screenshot");
    std::fs::write(shots_dir().join(name), png).expect("write screenshot");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_candidate_takes_the_interview_in_a_real_browser() {
    let dir = tempfile::tempdir().unwrap();
    let models = models_dir();
    let mut server = Server::start_env(dir.path(), true, &[("TALENTD_MODELS_DIR", &models)]);
    let key = server.demo_key();
    let http = client();
    let p: Value = http
        .post(server.url("/v1/projects"))
        .bearer_auth(&key)
        .json(&json!({
            "project_name": "Backend engineer",
            "company_name": "Acme",
            "instructions": "Ask: Tell me about a project you led. Ask: Tell me about a time things went wrong at work. Ask: How have you helped a colleague grow?",
            "competency_weights": {"leadership": 1, "communication": 1, "empathy": 0, "logic": 0, "planning": 0, "stress_tolerance": 0},
        }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let project = p["id"].as_str().expect("project id").to_owned();
    let link = p["interview_url"].as_str().unwrap().to_owned();

    let driver = Driver::start();
    let b = browser(&driver, &[]).await;

    b.goto(&format!("{link}?name=Alex%20Kim&candidate_id=ats-9"))
        .await
        .unwrap();
    assert_eq!(wait_state(&b, &["consent"]).await, "consent");
    let name = b.find(Locator::Id("candidate-name")).await.unwrap();
    assert_eq!(
        name.prop("value").await.unwrap().as_deref(),
        Some("Alex Kim")
    );
    assert!(
        name.attr("readonly").await.unwrap().is_some(),
        "a name from the ATS is locked"
    );
    let page = b.source().await.unwrap();
    assert!(
        page.contains("Acme") && page.contains("AI interviewer"),
        "AI notice shown"
    );
    shot(&b, "consent.png").await;

    // Without consent nothing starts.
    b.find(Locator::Id("start"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(state(&b).await, "consent");
    b.find(Locator::Id("consent"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    b.find(Locator::Id("start"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_state(&b, &["chat"]).await;
    assert_eq!(count(&b, "#messages .msg.tami").await, 1);
    let progress = b
        .find(Locator::Id("progress"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(progress.starts_with("Question 1 of"), "{progress}");

    let mut answered = 0;
    let mut reloaded = false;
    loop {
        assert!(answered < 20, "the interview did not close");
        let text = ANSWERS[answered % ANSWERS.len()];
        let answer = b.find(Locator::Id("answer")).await.unwrap();
        answer.send_keys(text).await.unwrap();
        b.find(Locator::Id("send"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        answered += 1;
        let s = wait_state(&b, &["chat", "done"]).await;
        assert_eq!(count(&b, "#messages .msg.candidate").await, answered);
        assert_eq!(count(&b, "#messages .msg.tami").await, answered + 1);
        if s == "done" {
            break;
        }
        if !reloaded {
            // A reload resumes the same session with every message.
            reloaded = true;
            b.refresh().await.unwrap();
            wait_state(&b, &["chat"]).await;
            assert_eq!(count(&b, "#messages .msg").await, 2 * answered + 1);
        }
    }
    let done = b.find(Locator::Id("done-note")).await.unwrap();
    assert!(done.is_displayed().await.unwrap());
    let last = b
        .find_all(Locator::Css("#messages .msg.tami"))
        .await
        .unwrap()
        .pop()
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!last.is_empty());
    let session = b
        .execute("return document.body.dataset.session", vec![])
        .await
        .unwrap()
        .as_str()
        .unwrap()
        .to_owned();
    shot(&b, "closing.png").await;

    // The candidate's rights, at the bottom of the page: the voluntary questions and a
    // request for a person instead of the AI.
    b.find(Locator::Css("#rights-box summary"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    assert!(
        !b.find(Locator::Id("request-contact"))
            .await
            .unwrap()
            .is_displayed()
            .await
            .unwrap(),
        "a session needs no contact details"
    );
    b.find(Locator::Id("demo-sex"))
        .await
        .unwrap()
        .select_by_value("female")
        .await
        .unwrap();
    b.find(Locator::Id("demo-send"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_text(&b, "demo-status", "Saved").await;
    b.find(Locator::Id("request-message"))
        .await
        .unwrap()
        .send_keys("I would prefer a video call.")
        .await
        .unwrap();
    b.find(Locator::Id("request-send"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_text(&b, "request-status", "Your request was sent").await;
    shot(&b, "rights.png").await;
    b.close().await.unwrap();
    let requests: Value = http
        .get(server.url("/v1/candidate-requests"))
        .bearer_auth(&key)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(requests["total"], 1, "{requests}");
    assert_eq!(requests["items"][0]["kind"], "human_alternative");
    assert_eq!(requests["items"][0]["candidate_id"], "ats-9");
    assert_eq!(
        requests["items"][0]["message"],
        "I would prefer a video call."
    );

    // The session, through the API: analysed by the server's own worker.
    let list: Value = http
        .get(server.url(&format!("/v1/projects/{project}/sessions")))
        .bearer_auth(&key)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list["total"], 1, "{list}");
    assert_eq!(list["items"][0]["id"], session.as_str());
    assert_eq!(list["items"][0]["candidate_id"], "ats-9");
    let deadline = Instant::now() + Duration::from_secs(120);
    let s = loop {
        let s: Value = http
            .get(server.url(&format!("/v1/sessions/{session}")))
            .bearer_auth(&key)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        if s["status"] == "completed" {
            break s;
        }
        assert!(
            Instant::now() < deadline && s["status"] != "failed",
            "session not analysed: {s}"
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
    };
    assert_eq!(s["transcript"].as_array().unwrap().len(), 2 * answered + 1);
    assert_eq!(s["transcript"][1]["text"], ANSWERS[0]);
    assert!(s["scores"]["leadership"].is_number(), "{s}");
    assert_eq!(s["candidate_name"], "Alex Kim");
    let report: Value = http
        .get(server.url(&format!("/v1/reports/adverse-impact?project_id={project}")))
        .bearer_auth(&key)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(report["report"]["candidates"], 1, "{report}");
    assert_eq!(report["report"]["reported"], 1, "{report}");
    let (status, _) = server.terminate();
    assert!(status.success());
}

/// A recruiter's afternoon in the dashboard, on a phone-sized screen.
#[tokio::test(flavor = "multi_thread")]
async fn a_recruiter_works_in_the_dashboard_in_a_real_browser() {
    let dir = tempfile::tempdir().unwrap();
    let models = models_dir();
    let mut server = Server::start_env(
        dir.path(),
        true,
        &[
            ("TALENTD_MODELS_DIR", &models),
            ("TALENTD_ALLOW_PRIVATE_URLS", "true"),
        ],
    );
    server.demo_key();
    let password = loop {
        let line = server.next_line(Duration::from_secs(10));
        if let Some((_, rest)) = line.split_once(" with the password ") {
            break rest.split_whitespace().next().unwrap().to_owned();
        }
    };
    let driver = Driver::start();
    let b = phone(&driver, 390, 844).await;
    b.goto(&server.url("/dashboard/projects/new"))
        .await
        .unwrap();
    let width = b.execute("return window.innerWidth", vec![]).await.unwrap();
    assert_eq!(width, json!(390), "the phone's width");
    assert!(
        b.current_url()
            .await
            .unwrap()
            .path()
            .ends_with("/dashboard/sign-in")
    );
    b.find(Locator::Id("email"))
        .await
        .unwrap()
        .send_keys("admin@demo.talentd.local")
        .await
        .unwrap();
    b.find(Locator::Id("password"))
        .await
        .unwrap()
        .send_keys(&password)
        .await
        .unwrap();
    b.find(Locator::Id("submit"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    // Back where the sign-in interrupted.
    b.wait()
        .at_most(Duration::from_secs(30))
        .for_element(Locator::Id("project-form"))
        .await
        .unwrap();
    b.find(Locator::Id("project_name"))
        .await
        .unwrap()
        .send_keys("Backend engineer")
        .await
        .unwrap();
    b.find(Locator::Id("company_name"))
        .await
        .unwrap()
        .send_keys("Acme")
        .await
        .unwrap();
    b.find(Locator::Id("instructions"))
        .await
        .unwrap()
        .send_keys("Ask about teamwork and a hard problem.")
        .await
        .unwrap();
    b.find(Locator::Id("save"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let link = b
        .wait()
        .at_most(Duration::from_secs(30))
        .for_element(Locator::Id("interview-url"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(link.contains("/i/"), "{link}");
    let project = b
        .current_url()
        .await
        .unwrap()
        .path()
        .rsplit('/')
        .next()
        .unwrap()
        .to_owned();
    assert!(project.starts_with("prj_"));
    b.goto(&server.url("/dashboard")).await.unwrap();
    assert_eq!(
        overflow(&b).await,
        "",
        "the projects page overflows a 390 px screen"
    );
    shot(&b, "dashboard-projects.png").await;

    // Upload a transcript and watch it complete.
    b.goto(&server.url("/dashboard/interviews")).await.unwrap();
    b.find(Locator::Id("candidate_id"))
        .await
        .unwrap()
        .send_keys("cand_42")
        .await
        .unwrap();
    b.find(Locator::Id("candidate_name"))
        .await
        .unwrap()
        .send_keys("Alex Kim")
        .await
        .unwrap();
    b.find(Locator::Id("vacancy_id"))
        .await
        .unwrap()
        .send_keys(&project)
        .await
        .unwrap();
    let transcript: String = ANSWERS
        .iter()
        .enumerate()
        .map(|(n, a)| format!("Interviewer: Question {}?\nCandidate: {a}\n", n + 1))
        .collect();
    b.execute(
        "document.getElementById('transcript').value = arguments[0]",
        vec![json!(transcript)],
    )
    .await
    .unwrap();
    b.find(Locator::Id("upload-submit"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        if b.find(Locator::Id("ai-recommendation")).await.is_ok() {
            break;
        }
        assert!(Instant::now() < deadline, "the analysis did not complete");
        tokio::time::sleep(Duration::from_secs(1)).await;
        b.refresh().await.unwrap();
    }
    assert!(b.find(Locator::Id("score-chart")).await.is_ok());

    // An evidence quote leads to its place in the transcript.
    let quote = b.find(Locator::Css("a.quote")).await.unwrap();
    let target = quote.attr("href").await.unwrap().unwrap();
    quote.click().await.unwrap();
    let hash = b.execute("return location.hash", vec![]).await.unwrap();
    assert_eq!(hash, json!(target));
    let seg = b.find(Locator::Css(&target)).await.unwrap();
    assert!(seg.is_displayed().await.unwrap());

    // The recruiter overrides the recommendation with a reason.
    b.find(Locator::Css("#recommendation option[value=consider]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    b.find(Locator::Id("reason"))
        .await
        .unwrap()
        .send_keys("Wants a second interview with the team")
        .await
        .unwrap();
    b.find(Locator::Id("override-submit"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let human = b
        .wait()
        .at_most(Duration::from_secs(30))
        .for_element(Locator::Id("human-recommendation"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(human, "Consider");
    assert!(
        b.source()
            .await
            .unwrap()
            .contains("Wants a second interview with the team")
    );
    assert_eq!(
        overflow(&b).await,
        "",
        "the candidate page overflows a 390 px screen"
    );
    shot(&b, "dashboard-candidate.png").await;
    let candidate_page = b.current_url().await.unwrap().path().to_owned();

    // An API key and a webhook from the settings.
    b.goto(&server.url("/dashboard/settings")).await.unwrap();
    b.find(Locator::Id("key-name"))
        .await
        .unwrap()
        .send_keys("ats")
        .await
        .unwrap();
    b.find(Locator::Css("#new-key button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let key = b
        .wait()
        .at_most(Duration::from_secs(30))
        .for_element(Locator::Id("secret"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(key.starts_with("tk_live_"), "{key}");
    let http = client();
    let r = http
        .get(server.url("/v1/projects"))
        .bearer_auth(&key)
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success());
    b.find(Locator::Id("webhook-url"))
        .await
        .unwrap()
        .send_keys("http://127.0.0.1:9/hook")
        .await
        .unwrap();
    b.find(Locator::Css("#new-webhook button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    // The page with the API key has a #secret too: wait for the new page's.
    let deadline = Instant::now() + Duration::from_secs(30);
    let secret = loop {
        let shown = match b.find(Locator::Id("secret")).await {
            Ok(e) => e.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        };
        if shown.starts_with("whsec_") || Instant::now() > deadline {
            break shown;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert!(secret.starts_with("whsec_"), "{secret}");
    assert_eq!(
        overflow(&b).await,
        "",
        "the settings page overflows a 390 px screen"
    );
    shot(&b, "dashboard-settings.png").await;

    // The culture editor starts from a valid sort and follows each change.
    b.goto(&server.url("/dashboard/culture")).await.unwrap();
    let save = b.find(Locator::Id("save-sort")).await.unwrap();
    assert!(
        save.is_enabled().await.unwrap(),
        "the starting sort is valid"
    );
    let first = b.find(Locator::Id("ocp_01")).await.unwrap();
    let was = first.prop("value").await.unwrap().unwrap();
    let other = if was == "9" { "1" } else { "9" };
    first
        .find(Locator::Css(&format!("option[value='{other}']")))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    assert!(
        !save.is_enabled().await.unwrap(),
        "an uneven sort cannot be saved"
    );
    let pile = b.find(Locator::Id(&format!("pile-{other}"))).await.unwrap();
    assert_eq!(pile.attr("class").await.unwrap().as_deref(), Some("error"));
    assert_eq!(
        overflow(&b).await,
        "",
        "the culture page overflows a 390 px screen"
    );
    shot(&b, "dashboard-culture.png").await;

    // The same pages in Russian, chosen on the account page: Russian words are longer,
    // and still nothing overflows the phone's width.
    b.goto(&server.url("/dashboard/account")).await.unwrap();
    b.find(Locator::Css("#language option[value=ru]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    b.find(Locator::Id("language-save"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    b.wait()
        .at_most(Duration::from_secs(30))
        .for_element(Locator::Id("saved"))
        .await
        .unwrap();
    assert_eq!(heading(&b).await, "Мой профиль");
    shot(&b, "ru-account.png").await;
    for (path, h1, name) in [
        ("/dashboard".to_owned(), "Проекты", "ru-projects.png"),
        (
            format!("/dashboard/projects/{project}"),
            "Backend engineer",
            "ru-project.png",
        ),
        (
            "/dashboard/interviews".to_owned(),
            "Интервью",
            "ru-interviews.png",
        ),
        (candidate_page.clone(), "Alex Kim", "ru-candidate.png"),
        (
            "/dashboard/settings".to_owned(),
            "Настройки",
            "ru-settings.png",
        ),
        (
            "/dashboard/culture".to_owned(),
            "Культура",
            "ru-culture.png",
        ),
    ] {
        b.goto(&server.url(&path)).await.unwrap();
        assert!(heading(&b).await.starts_with(h1), "{path}");
        let lang = b
            .execute("return document.documentElement.lang", vec![])
            .await
            .unwrap();
        assert_eq!(lang, json!("ru"), "{path}");
        let nav = b
            .find(Locator::Css("header.bar nav"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            nav.contains("Проекты") && nav.contains("Настройки"),
            "{nav}"
        );
        assert_eq!(
            overflow(&b).await,
            "",
            "{path} overflows a 390 px screen in Russian"
        );
        shot(&b, name).await;
    }
    // Further down the candidate page: the evidence, the culture fit and the decision.
    b.goto(&server.url(&candidate_page)).await.unwrap();
    let candidate = b.source().await.unwrap();
    for words in [
        "Рекомендация ИИ",
        "Сильные стороны",
        "Ваше решение",
        "Рассмотреть",
    ] {
        assert!(
            candidate.contains(words),
            "the candidate page lacks {words}"
        );
    }
    for (section, name) in [
        ("evidence", "ru-candidate-evidence.png"),
        ("culture-fit", "ru-candidate-fit.png"),
        ("decision", "ru-candidate-decision.png"),
    ] {
        b.goto(&server.url(&format!("{candidate_page}#{section}")))
            .await
            .unwrap();
        shot(&b, name).await;
    }

    // Signing out ends the session.
    b.find(Locator::Css("header.bar form button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    b.wait()
        .at_most(Duration::from_secs(30))
        .for_element(Locator::Id("sign-in"))
        .await
        .unwrap();
    b.goto(&server.url("/dashboard")).await.unwrap();
    assert!(
        b.current_url()
            .await
            .unwrap()
            .path()
            .ends_with("/dashboard/sign-in")
    );
    b.close().await.unwrap();
    let (status, _) = server.terminate();
    assert!(status.success());
}
