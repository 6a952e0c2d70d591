//! What the tests of the running server share: the real binary on a random loopback port with a
//! fresh database, and a visitor with a cookie jar and a CSRF token.

#![allow(dead_code)] // Each test file uses its own part.

use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;

/// The running server: the real binary on a random loopback port with a fresh database.
pub struct Server {
    pub address: String,
    pub child: Child,
    pub dir: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts the real binary on 127.0.0.1:0 and reads the address it bound from its first line.
pub fn start_server(extra: &[&str]) -> Arc<Server> {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut command = Command::new(env!("CARGO_BIN_EXE_hipcoach"));
    command.args(server_args(&dir)).args(extra);
    launch(command, dir)
}

/// The arguments of a test server whose data folder is `dir`.
pub fn server_args(dir: &tempfile::TempDir) -> Vec<String> {
    let dir = dir.path().to_str().expect("utf-8");
    ["--data-dir", dir, "--today", "2026-11-24", "serve", "--bind", "127.0.0.1:0", "--quick-step-ms", "200"]
        .map(String::from)
        .to_vec()
}

/// Runs `command` (which ends by starting the server) and waits for the address it bound.
pub fn launch(mut command: Command, dir: tempfile::TempDir) -> Arc<Server> {
    let mut child = command.stdout(Stdio::piped()).stderr(Stdio::null()).spawn().expect("the binary starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout")).read_line(&mut line).expect("a first line");
    let address = line.trim().rsplit(' ').next().expect("an address").to_owned();
    assert!(address.starts_with("http://127.0.0.1:"), "unexpected first line: {line}");
    Arc::new(Server { address, child, dir })
}

/// One browser: its own cookie jar and the CSRF token its pages carry.
pub struct App {
    pub server: Arc<Server>,
    pub client: reqwest::Client,
    pub csrf: String,
}

/// A server with accounts, and a visitor who has signed up as "ana".
pub async fn spawn_app() -> App {
    let mut app = App::visit(start_server(&[])).await;
    app.sign_up("ana").await;
    app
}

impl App {
    /// A new visitor with an empty cookie jar, holding the token of the first page they see.
    pub async fn visit(server: Arc<Server>) -> App {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .cookie_store(true)
            .build()
            .expect("client");
        let mut app = App { server, client, csrf: String::new() };
        app.refresh_csrf().await;
        app
    }

    /// Reads the token from a page's `<meta name="csrf-token">`, as the player script does.
    pub async fn refresh_csrf(&mut self) {
        let page = self.get("/exercises").await.text().await.expect("text");
        let (_, rest) = page.split_once(r#"name="csrf-token" content=""#).expect("a csrf meta tag");
        self.csrf = rest.split('"').next().expect("a token").to_owned();
    }

    pub async fn sign_up(&mut self, name: &str) {
        let form = [("name", name), ("password", "long enough"), ("confirm", "long enough"), ("understood", "yes")];
        let response = self.post_form("/signup", &form).await;
        assert_eq!(response.status(), 303, "{}", response.text().await.unwrap_or_default());
        self.refresh_csrf().await;
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.server.address)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.expect("GET")
    }

    pub async fn post_json(&self, path: &str, body: &Value) -> reqwest::Response {
        self.client.post(self.url(path)).header("x-csrf-token", &self.csrf).json(body).send().await.expect("POST")
    }

    pub async fn post_form(&self, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
        let mut fields = vec![("_csrf", self.csrf.as_str())];
        fields.extend_from_slice(form);
        self.client.post(self.url(path)).form(&fields).send().await.expect("POST form")
    }

    /// Answers the screening (all clear) and sets a profile through the form.
    pub async fn onboard(&self) {
        self.onboard_with("3").await;
    }

    /// Onboards with this many sessions a week.
    pub async fn onboard_with(&self, sessions: &str) {
        let mut form: Vec<(&str, &str)> = vec![("age-band", "18-49"), ("hip-surgery", "none")];
        for id in YES_NO {
            form.push((id, "no"));
        }
        form.extend([
            ("goal", "general"),
            ("sessions", sessions),
            ("minutes", "15"),
            ("equipment", "mat"),
            ("equipment", "chair"),
        ]);
        let response = self.post_form("/start", &form).await;
        assert_eq!(response.status(), 303, "{}", response.text().await.unwrap_or_default());
    }
}

pub const YES_NO: &[&str] = &[
    "heart-or-blood-pressure",
    "chest-pain",
    "dizzy-or-fainted",
    "other-chronic-condition",
    "prescribed-medicines",
    "bone-or-joint-problem",
    "supervised-only",
    "saddle-numbness-or-bladder",
    "both-legs",
    "cannot-bear-weight",
    "fever-or-hot-joint",
    "calf-swelling-or-breathless",
    "sudden-severe-pain",
    "night-or-rest-pain",
    "weight-loss-or-cancer",
    "long-term-steroids",
    "groin-pain-on-loading",
    "runner",
    "leg-weakness-or-numbness",
    "recent-fracture",
    "inflammatory-signs",
    "pain-turning-inward",
    "pregnant",
];
