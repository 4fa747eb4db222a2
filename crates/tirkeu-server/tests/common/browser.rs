//! A browser without JavaScript, for the page tests: keeps cookies, does not follow
//! redirects (the tests see them).

use std::collections::BTreeMap;

use reqwest::header::{COOKIE, LOCATION, SET_COOKIE};
use reqwest::multipart::{Form, Part};
use reqwest::{Client, Response};

use super::Server;

/// A browser without JavaScript: keeps cookies, does not follow redirects (tests see them).
pub struct Browser {
    http: Client,
    base: String,
    pub cookies: BTreeMap<String, String>,
}

impl Browser {
    pub fn new(s: &Server) -> Browser {
        Browser {
            http: Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            base: s.base.clone(),
            cookies: BTreeMap::new(),
        }
    }

    pub fn keep(&mut self, r: &Response) {
        for v in r.get_all_set_cookie() {
            let pair = v.split(';').next().unwrap();
            let (name, value) = pair.split_once('=').unwrap();
            if v.contains("Max-Age=0") || value.is_empty() {
                self.cookies.remove(name);
            } else {
                self.cookies.insert(name.to_owned(), value.to_owned());
            }
        }
    }

    pub fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    pub async fn get(&mut self, path: &str) -> Response {
        let r = self
            .http
            .get(format!("{}{path}", self.base))
            .header(COOKIE, self.cookie_header())
            .send()
            .await
            .unwrap();
        self.keep(&r);
        r
    }

    pub async fn post(&mut self, path: &str, form: &[(&str, &str)]) -> Response {
        let r = self
            .http
            .post(format!("{}{path}", self.base))
            .header(COOKIE, self.cookie_header())
            .form(form)
            .send()
            .await
            .unwrap();
        self.keep(&r);
        r
    }

    pub async fn upload(
        &mut self,
        path: &str,
        kind: &str,
        file: Option<(&str, Vec<u8>)>,
    ) -> Response {
        let part = match file {
            Some((name, bytes)) => Part::bytes(bytes).file_name(name.to_owned()),
            // What a browser sends when no file was chosen.
            None => Part::bytes(Vec::new()).file_name(""),
        };
        let form = Form::new().text("kind", kind.to_owned()).part("file", part);
        let r = self
            .http
            .post(format!("{}{path}", self.base))
            .header(COOKIE, self.cookie_header())
            .multipart(form)
            .send()
            .await
            .unwrap();
        self.keep(&r);
        r
    }
}

pub trait SetCookies {
    fn get_all_set_cookie(&self) -> Vec<String>;
}

impl SetCookies for Response {
    fn get_all_set_cookie(&self) -> Vec<String> {
        self.headers()
            .get_all(SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok().map(str::to_owned))
            .collect()
    }
}

/// Where a redirect points.
pub fn location(r: &Response) -> String {
    r.headers()[LOCATION].to_str().unwrap().to_owned()
}
