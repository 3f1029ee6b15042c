//! HTTP for the preview: files from the in-memory build, the 404 page, folder redirects, and
//! server-sent events with a small script injected into every HTML page.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderValue, Method, StatusCode, Uri, header};
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tokio_stream::StreamExt;
use tokio_stream::wrappers::BroadcastStream;
use tower_http::set_header::SetResponseHeaderLayer;

use super::{Event, Live, Snapshot};
use crate::publish::Contents;

pub const EVENTS_PATH: &str = "/__broadsheet/events";

pub fn router(live: Arc<Live>) -> Router {
    Router::new()
        .route(EVENTS_PATH, get(events))
        .fallback(file)
        .with_state(live)
        // A preview must never show a page the browser kept from before the last save.
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
}

async fn events(
    State(live): State<Arc<Live>>,
) -> Sse<impl tokio_stream::Stream<Item = Result<SseEvent, Infallible>>> {
    let current = live.current();
    let mut first = vec![
        SseEvent::default()
            .event("hello")
            .data(current.build.to_string()),
    ];
    if let Some(e) = &current.error {
        first.push(SseEvent::default().event("error").data(e.replace('\r', "")));
    }
    let updates = BroadcastStream::new(live.events.subscribe()).filter_map(|e| {
        e.ok().map(|e| match e {
            Event::Reload(b) => SseEvent::default().event("reload").data(b.to_string()),
            Event::Css(b) => SseEvent::default().event("css").data(b.to_string()),
            Event::Error(text) => SseEvent::default()
                .event("error")
                .data(text.replace('\r', "")),
        })
    });
    let stream = tokio_stream::iter(first).chain(updates).map(Ok);
    Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}

/// `/a/b%20c/` -> `a/b c/`; None for anything that could leave the site (`..`, NUL, `\`).
pub fn site_path(uri_path: &str) -> Option<String> {
    let path = String::from_utf8(crate::slug::decode_percent(uri_path)).ok()?;
    if path.contains(['\0', '\\']) {
        return None;
    }
    let mut parts = Vec::new();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => return None,
            s => parts.push(s),
        }
    }
    let mut out = parts.join("/");
    if path.ends_with('/') && !out.is_empty() {
        out.push('/');
    }
    Some(out)
}

async fn file(State(live): State<Arc<Live>>, method: Method, uri: Uri) -> Response {
    if method != Method::GET && method != Method::HEAD {
        return (
            StatusCode::METHOD_NOT_ALLOWED,
            [(header::ALLOW, "GET, HEAD")],
            "",
        )
            .into_response();
    }
    let snapshot = live.current();
    let Some(path) = site_path(uri.path()) else {
        return not_found(&snapshot, method).await;
    };
    let key = if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.clone()
    };
    let Some(contents) = snapshot.get(&key) else {
        if snapshot.get(&format!("{path}/index.html")).is_some() {
            let mut to = format!("{}/", uri.path());
            if let Some(q) = uri.query() {
                to = format!("{to}?{q}");
            }
            return (StatusCode::MOVED_PERMANENTLY, [(header::LOCATION, to)]).into_response();
        }
        return not_found(&snapshot, method).await;
    };
    match read(contents).await {
        Some(bytes) => respond(&snapshot, &key, bytes, StatusCode::OK, method),
        None => not_found(&snapshot, method).await,
    }
}

async fn read(contents: &Contents) -> Option<Vec<u8>> {
    match contents {
        Contents::Bytes(b) => Some(b.to_vec()),
        Contents::Embedded(b) => Some(b.to_vec()),
        Contents::Copy(p) => tokio::fs::read(p).await.ok(),
    }
}

async fn not_found(snapshot: &Snapshot, method: Method) -> Response {
    match snapshot.get("404.html") {
        Some(c) => match read(c).await {
            Some(bytes) => respond(snapshot, "404.html", bytes, StatusCode::NOT_FOUND, method),
            None => (StatusCode::NOT_FOUND, "not found").into_response(),
        },
        // No good build yet: every page is the error report.
        None => respond(
            snapshot,
            "index.html",
            error_page(snapshot).into_bytes(),
            StatusCode::NOT_FOUND,
            method,
        ),
    }
}

fn error_page(snapshot: &Snapshot) -> String {
    let text = snapshot
        .error
        .as_deref()
        .unwrap_or("The site has not been built yet.");
    format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Build failed</title></head><body><h1>The site could not be built</h1><pre>{}</pre></body></html>",
        escape(text)
    )
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn respond(
    snapshot: &Snapshot,
    key: &str,
    mut bytes: Vec<u8>,
    status: StatusCode,
    method: Method,
) -> Response {
    let mime = mime_guess::from_path(key).first_or_octet_stream();
    let is_html = mime.essence_str() == "text/html";
    if is_html {
        bytes = inject(bytes, &live_script(snapshot));
    }
    let content_type = if mime.type_() == "text"
        || mime.essence_str() == "application/xml"
        || mime.essence_str() == "application/javascript"
    {
        format!("{}; charset=utf-8", mime.essence_str())
    } else {
        mime.essence_str().to_string()
    };
    let length = bytes.len();
    let body = if method == Method::HEAD {
        Body::empty()
    } else {
        Body::from(bytes)
    };
    Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, content_type)
        .header(header::CONTENT_LENGTH, length)
        .body(body)
        .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response())
}

/// Puts `script` before the last `</body>`, or at the end.
fn inject(mut html: Vec<u8>, script: &str) -> Vec<u8> {
    let lower: Vec<u8> = html.iter().map(u8::to_ascii_lowercase).collect();
    let at = lower
        .windows(7)
        .rposition(|w| w == b"</body>")
        .unwrap_or(html.len());
    html.splice(at..at, script.bytes());
    html
}

/// Reloads on a new build, swaps stylesheets on a CSS change, shows build errors over the
/// page, and reconnects when the server comes back.
fn live_script(snapshot: &Snapshot) -> String {
    let error = serde_json::to_string(&snapshot.error)
        .unwrap_or_else(|_| "null".into())
        .replace("</", "<\\/");
    format!(
        r#"<script>(function(){{
var build={build},shown={error};
function overlay(text){{var o=document.getElementById("broadsheet-error");
if(!text){{if(o)o.remove();return;}}
if(!o){{o=document.createElement("div");o.id="broadsheet-error";o.setAttribute("role","alert");
o.style.cssText="position:fixed;inset:0;z-index:2147483647;overflow:auto;background:rgba(20,20,20,.94);color:#fff;padding:2rem;font:14px/1.5 ui-monospace,monospace";
document.body.appendChild(o);}}
o.innerHTML="";var h=document.createElement("h2");h.textContent="The site could not be rebuilt";h.style.cssText="color:#ff8a80;font:bold 18px sans-serif";
var p=document.createElement("pre");p.textContent=text;p.style.whiteSpace="pre-wrap";
var n=document.createElement("p");n.textContent="The last good version of the page is underneath. This message goes away when the problem is fixed.";
o.appendChild(h);o.appendChild(p);o.appendChild(n);}}
function connect(){{var es=new EventSource("{path}");
es.addEventListener("hello",function(e){{if(+e.data!==build)location.reload();}});
es.addEventListener("reload",function(){{location.reload();}});
es.addEventListener("css",function(e){{build=+e.data;overlay(null);document.querySelectorAll('link[rel="stylesheet"]').forEach(function(l){{var u=new URL(l.href);u.searchParams.set("v",e.data);l.href=u.href;}});}});
es.addEventListener("error",function(e){{overlay(e.data);}});
es.onerror=function(){{es.close();setTimeout(connect,1000);}};}}
if(shown)document.addEventListener("DOMContentLoaded",function(){{overlay(shown);}});
connect();}})();</script>"#,
        build = snapshot.build,
        error = error,
        path = EVENTS_PATH,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_cannot_escape() {
        assert_eq!(site_path("/world/").as_deref(), Some("world/"));
        assert_eq!(site_path("/").as_deref(), Some(""));
        assert_eq!(site_path("/a%20b/c.css").as_deref(), Some("a b/c.css"));
        assert_eq!(site_path("/../etc/passwd"), None);
        assert_eq!(site_path("/%2e%2e/etc/passwd"), None);
        assert_eq!(site_path("/a/%2E%2E/%2E%2E/x"), None);
        assert_eq!(site_path("/a%5c..%5cb"), None);
        assert_eq!(site_path("/a%00b"), None);
    }

    #[test]
    fn script_goes_before_body_end() {
        let html = inject(
            b"<html><body><p>x</p></BODY></html>".to_vec(),
            "<script></script>",
        );
        assert_eq!(
            String::from_utf8(html).unwrap(),
            "<html><body><p>x</p><script></script></BODY></html>"
        );
    }
}
