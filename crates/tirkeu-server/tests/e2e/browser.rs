//! A headless Chromium driven through chromedriver, both Debian's, started by a test and ended
//! with it; axe-core injected into pages; viewport widths and full-page screenshots through
//! the `DevTools` protocol, which chromedriver passes on (`goog/cdp/execute`).
//!
//! Why this way: `WebDriver`'s own window size includes browser chrome and has a minimum width,
//! so a 390 px viewport is set with `Emulation.setDeviceMetricsOverride` instead, and the
//! viewport is stretched to the page's height for a full-page screenshot (`WebDriver`'s
//! screenshot is of the viewport). The page's Content-Security-Policy forbids inline script,
//! but `WebDriver`'s "execute script" runs through the `DevTools` protocol and is not subject to
//! it, so axe-core is injected that way; the page itself never needs script.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::key::Key;
use fantoccini::{Client, ClientBuilder, Locator};
use serde::Deserialize;
use serde_json::{Value, json};

/// The WCAG levels axe checks: everything up to 2.2 AA.
pub const AXE_TAGS: [&str; 4] = ["wcag2a", "wcag2aa", "wcag21aa", "wcag22aa"];

/// The viewport height the pages are looked at with (the width is what each check sets).
const HEIGHT: u32 = 900;

/// What the tests need from outside, from the environment (see build.rs for the cfg that
/// marks the tests ignored without it).
pub struct Setup {
    pub chromedriver: PathBuf,
    pub axe: String,
    /// Optional: the browser binary, else the one chromedriver finds (`/usr/bin/chromium`).
    pub chromium: Option<PathBuf>,
}

impl Setup {
    pub fn from_env() -> Setup {
        let var = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
        let chromedriver = var("TIRKEU_TEST_CHROMEDRIVER")
            .expect("TIRKEU_TEST_CHROMEDRIVER: the path to chromedriver")
            .into();
        let axe_path: PathBuf = var("TIRKEU_TEST_AXE")
            .expect("TIRKEU_TEST_AXE: the path to axe-core's axe.min.js")
            .into();
        let axe = std::fs::read_to_string(&axe_path)
            .unwrap_or_else(|e| panic!("TIRKEU_TEST_AXE={}: {e}", axe_path.display()));
        Setup {
            chromedriver,
            axe,
            chromium: var("TIRKEU_TEST_CHROMIUM").map(Into::into),
        }
    }
}

/// The chromedriver process, in a process group of its own with the browsers it starts, so
/// that dropping it ends them all even when a test panics half-way.
struct Driver {
    child: Child,
    url: String,
}

impl Driver {
    async fn start(path: &Path) -> Driver {
        // A free port: bind port 0, note it, let it go (chromedriver cannot report its own).
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = std::os::unix::process::CommandExt::process_group(
            Command::new(path)
                .arg(format!("--port={port}"))
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null()),
            0,
        )
        .spawn()
        .unwrap_or_else(|e| panic!("start {}: {e}", path.display()));
        let driver = Driver {
            child,
            url: format!("http://127.0.0.1:{port}"),
        };
        let http = reqwest::Client::new();
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Ok(r) = http.get(format!("{}/status", driver.url)).send().await
                && r.status().is_success()
            {
                return driver;
            }
            assert!(Instant::now() < deadline, "chromedriver did not start");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        // The whole group: chromedriver and any browser it left behind.
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{}", self.child.id())])
            .status();
        let _ = self.child.wait();
    }
}

/// One browser session.
pub struct Browser {
    pub client: Client,
    cdp: String,
    http: reqwest::Client,
    axe: String,
    javascript: bool,
    driver: Driver,
}

/// One axe-core violation, as printed when a check fails.
#[derive(Debug, Deserialize)]
pub struct Violation {
    pub id: String,
    pub impact: Option<String>,
    pub help: String,
    pub nodes: Vec<ViolationNode>,
}

#[derive(Debug, Deserialize)]
pub struct ViolationNode {
    pub target: String,
    pub summary: String,
}

/// What axe said about a page.
#[derive(Debug, Deserialize)]
pub struct AxeReport {
    pub violations: Vec<Violation>,
    /// Rules axe could not decide (e.g. contrast over a gradient): listed, not failed.
    pub incomplete: Vec<String>,
}

impl AxeReport {
    /// The violations, readably: rule, impact, what it asks, and each node with its fix.
    pub fn describe(&self) -> String {
        let mut out = String::new();
        for v in &self.violations {
            let impact = v.impact.as_deref().unwrap_or("?");
            let _ = writeln!(out, "  [{impact}] {}: {}", v.id, v.help);
            for n in &v.nodes {
                let _ = writeln!(out, "      at {}", n.target);
                for line in n.summary.lines() {
                    let _ = writeln!(out, "         {line}");
                }
            }
        }
        out
    }
}

impl Browser {
    /// Starts chromedriver and a headless Chromium; `javascript: false` turns script off in
    /// the pages (`WebDriver`'s own commands still work).
    pub async fn start(setup: &Setup, javascript: bool) -> Browser {
        let driver = Driver::start(&setup.chromedriver).await;
        let mut args = vec![
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            "--no-first-run",
            "--no-default-browser-check",
            "--hide-scrollbars",
            "--force-device-scale-factor=1",
            "--window-size=1280,900",
        ];
        if !javascript {
            args.push("--blink-settings=scriptEnabled=false");
        }
        let mut options = json!({ "args": args });
        if let Some(bin) = &setup.chromium {
            options["binary"] = json!(bin);
        }
        let caps = json!({
            "browserName": "chrome",
            "goog:chromeOptions": options,
            "timeouts": { "pageLoad": 30_000, "script": 30_000, "implicit": 0 },
        });
        let Value::Object(caps) = caps else {
            unreachable!()
        };
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        let client = ClientBuilder::new(connector)
            .capabilities(caps)
            .connect(&driver.url)
            .await
            .unwrap_or_else(|e| panic!("a Chromium session from chromedriver: {e}"));
        let session = client.session_id().await.unwrap().unwrap();
        let browser = Browser {
            client,
            cdp: format!("{}/session/{session}/goog/cdp/execute", driver.url),
            http: reqwest::Client::new(),
            axe: setup.axe.clone(),
            javascript,
            driver,
        };
        browser.set_viewport(1280, HEIGHT).await;
        browser
    }

    /// Whether pages run script (axe-core needs it: its checks wait on timers).
    pub fn javascript(&self) -> bool {
        self.javascript
    }

    /// Ends the session (the browser quits), then chromedriver.
    pub async fn close(self) {
        let Browser { client, driver, .. } = self;
        let _ = client.close().await;
        drop(driver);
    }

    /// A `DevTools` protocol command through chromedriver.
    async fn cdp(&self, cmd: &str, params: Value) -> Value {
        let r = self
            .http
            .post(&self.cdp)
            .json(&json!({ "cmd": cmd, "params": params }))
            .send()
            .await
            .unwrap();
        let status = r.status();
        let body: Value = r.json().await.unwrap();
        assert!(status.is_success(), "{cmd}: {body}");
        body
    }

    async fn set_viewport(&self, width: u32, height: u32) {
        self.cdp(
            "Emulation.setDeviceMetricsOverride",
            json!({ "width": width, "height": height, "deviceScaleFactor": 1, "mobile": false }),
        )
        .await;
    }

    /// Lays the current page out `width` CSS pixels wide.
    pub async fn set_width(&self, width: u32) {
        self.set_viewport(width, HEIGHT).await;
    }

    pub async fn goto(&self, url: &str) {
        self.client.goto(url).await.unwrap();
    }

    pub async fn path(&self) -> String {
        let url = self.client.current_url().await.unwrap();
        url.path().to_owned()
    }

    pub async fn find(&self, css: &str) -> fantoccini::elements::Element {
        match self.client.find(Locator::Css(css)).await {
            Ok(el) => el,
            Err(e) => panic!("no {css} on {}: {e}", self.path().await),
        }
    }

    pub async fn exists(&self, css: &str) -> bool {
        !self
            .client
            .find_all(Locator::Css(css))
            .await
            .unwrap()
            .is_empty()
    }

    pub async fn text(&self, css: &str) -> String {
        self.find(css).await.text().await.unwrap()
    }

    /// Types into a field as a person would (clicking into it first).
    pub async fn type_into(&self, css: &str, text: &str) {
        let field = self.find(css).await;
        field.click().await.unwrap();
        field.clear().await.unwrap();
        field.send_keys(text).await.unwrap();
    }

    /// Clicks something that leads to another page (a form's button) and waits for that page
    /// to load: the old document is marked, and the wait ends when a document without the
    /// mark is complete (a click can return before the navigation starts).
    pub async fn click(&self, css: &str) {
        self.js("window.tirkeuOld = true").await;
        self.find(css).await.click().await.unwrap();
        let deadline = Instant::now() + Duration::from_secs(20);
        while self
            .js("return window.tirkeuOld !== true && document.readyState === 'complete'")
            .await
            != true
        {
            assert!(
                Instant::now() < deadline,
                "no page came after clicking {css}"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// Runs a script (a function body) in the page.
    pub async fn js(&self, script: &str) -> Value {
        self.client.execute(script, vec![]).await.unwrap()
    }

    /// Presses a key (`WebDriver`'s code point for it, e.g. [`Key::Tab`]).
    pub async fn press(&self, key: Key) {
        let keys = KeyActions::new("keyboard".into())
            .then(KeyAction::Down { value: key.into() })
            .then(KeyAction::Up { value: key.into() });
        self.client.perform_actions(keys).await.unwrap();
    }

    /// Runs axe-core in the page with the WCAG 2.2 AA rules.
    pub async fn axe(&self) -> AxeReport {
        let script = format!(
            "{}\n;const done = arguments[arguments.length - 1];\n{}",
            self.axe,
            r"axe.run(document, { runOnly: { type: 'tag', values: TAGS }, resultTypes: ['violations'] })
                .then(r => done({
                    violations: r.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help,
                        nodes: v.nodes.map(n => ({ target: n.target.join(' '), summary: n.failureSummary || '' })) })),
                    incomplete: r.incomplete.map(v => v.id),
                }))
                .catch(e => done({ error: String(e) }));"
                .replace("TAGS", &json!(AXE_TAGS).to_string())
        );
        let out = self.client.execute_async(&script, vec![]).await.unwrap();
        assert!(out.get("error").is_none(), "axe failed: {out}");
        serde_json::from_value(out).unwrap()
    }

    /// How far the page is wider than the viewport, if it is (a horizontal scroll).
    pub async fn overflow(&self) -> Option<(u64, u64)> {
        let v = self
            .js("const d = document.documentElement; return [d.scrollWidth, d.clientWidth];")
            .await;
        let (scroll, client) = (v[0].as_u64().unwrap(), v[1].as_u64().unwrap());
        (scroll > client).then_some((scroll, client))
    }

    /// A PNG of the whole page at `width`: the viewport is stretched to the page's height for
    /// the picture, then put back.
    pub async fn screenshot(&self, width: u32, to: &Path) {
        let height = self
            .js("return document.documentElement.scrollHeight")
            .await
            .as_u64()
            .unwrap();
        let height = u32::try_from(height).unwrap().clamp(HEIGHT, 16_000);
        self.set_viewport(width, height).await;
        let png = self.client.screenshot().await.unwrap();
        self.set_viewport(width, HEIGHT).await;
        std::fs::write(to, png).unwrap_or_else(|e| panic!("{}: {e}", to.display()));
    }
}

/// Where screenshots go: `e2e/` in the target directory this test was built into (so it
/// follows `CARGO_TARGET_DIR`), found from Cargo's `CARGO_TARGET_TMPDIR` (`<target>/tmp`).
pub fn screenshot_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .unwrap()
        .join("e2e");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
