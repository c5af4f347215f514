//! The small HTTP layer the API channels share: one blocking agent with a timeout, and answers
//! read whatever their status (Telegram and Zalo put the reason in the body).

use std::time::Duration;

/// The blocking HTTP client the channels use.
pub type Agent = ureq::Agent;

/// An answer from an HTTP API.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub body: String,
}

/// A request that got no answer: the network, DNS, a refused connection, or a timeout.
#[derive(Debug, Clone)]
pub struct NoAnswer(pub String);

/// An agent that treats every status as an answer and gives up after `timeout`.
pub fn agent(timeout: Duration) -> ureq::Agent {
    ureq::Agent::config_builder()
        .timeout_global(Some(timeout))
        .http_status_as_error(false)
        .user_agent("Tend")
        .build()
        .into()
}

fn read(result: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> Result<Reply, NoAnswer> {
    let mut resp = result.map_err(|e| NoAnswer(describe(&e)))?;
    let status = resp.status().as_u16();
    let body = resp
        .body_mut()
        .read_to_string()
        .map_err(|e| NoAnswer(describe(&e)))?;
    Ok(Reply { status, body })
}

/// POSTs JSON with extra headers.
pub fn post_json(
    agent: &ureq::Agent,
    url: &str,
    headers: &[(&str, &str)],
    body: &serde_json::Value,
) -> Result<Reply, NoAnswer> {
    let mut req = agent.post(url).header("content-type", "application/json");
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    read(req.send(body.to_string()))
}

/// POSTs a form with extra headers.
pub fn post_form(
    agent: &ureq::Agent,
    url: &str,
    headers: &[(&str, &str)],
    form: &[(&str, &str)],
) -> Result<Reply, NoAnswer> {
    let mut req = agent.post(url);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    read(req.send_form(form.iter().copied()))
}

/// GETs a URL.
pub fn get(agent: &ureq::Agent, url: &str, headers: &[(&str, &str)]) -> Result<Reply, NoAnswer> {
    let mut req = agent.get(url);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    read(req.call())
}

/// A sentence for a transport error that never includes the URL (it can hold a bot token).
fn describe(e: &ureq::Error) -> String {
    match e {
        ureq::Error::Timeout(_) => "the service did not answer in time".into(),
        ureq::Error::HostNotFound => "the service's address could not be found (offline?)".into(),
        ureq::Error::ConnectionFailed => "could not connect to the service (offline?)".into(),
        ureq::Error::Io(io) => format!("network error: {}", io.kind()),
        other => {
            let text = other.to_string();
            if text.contains("bot") {
                "network error".into()
            } else {
                format!("network error: {text}")
            }
        }
    }
}
