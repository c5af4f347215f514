//! The small HTTP layer the API channels share: one blocking agent with a timeout, and answers
//! read whatever their status (Telegram and Zalo put the reason in the body).
//!
//! A request that got no answer is told apart by whether the service may have received it: a
//! failure to resolve, connect or shake hands means the request never left (safe to send again),
//! while a timeout or a broken connection after it was sent means the service may have acted on
//! it (sending again could deliver a message twice).

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
pub struct NoAnswer {
    /// A sentence for the salesperson (never the URL, which can hold a bot token).
    pub reason: String,
    /// The request was sent whole before things went wrong: the service may have acted on it.
    pub maybe_received: bool,
}

/// An agent that treats every status as an answer and gives up on each phase of a request
/// (resolving, connecting, sending, waiting for the answer, reading it) after `timeout`. Phase
/// timeouts rather than one overall timeout, so a timeout says which phase it cut short.
pub fn agent(timeout: Duration) -> ureq::Agent {
    let t = Some(timeout);
    ureq::Agent::config_builder()
        .timeout_resolve(t)
        .timeout_connect(t)
        .timeout_send_request(t)
        .timeout_send_body(t)
        .timeout_recv_response(t)
        .timeout_recv_body(t)
        .http_status_as_error(false)
        .user_agent("Tend")
        .build()
        .into()
}

fn read(result: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> Result<Reply, NoAnswer> {
    let mut resp = result.map_err(|e| no_answer(&e))?;
    let status = resp.status().as_u16();
    // The answer's head arrived, so the request was received whatever breaks now.
    let body = resp.body_mut().read_to_string().map_err(|e| NoAnswer {
        reason: describe(&e),
        maybe_received: true,
    })?;
    Ok(Reply { status, body })
}

fn no_answer(e: &ureq::Error) -> NoAnswer {
    NoAnswer {
        reason: describe(e),
        maybe_received: maybe_received(e),
    }
}

/// Whether the service may have received the request before `e` happened. Errors of the
/// connection's set-up (DNS, connect, TLS) and of an unfinished request are not; a timeout
/// waiting for or reading the answer, or a connection broken after the request went out, are.
/// Anything unrecognised counts as received: guessing "not sent" could send a message twice.
fn maybe_received(e: &ureq::Error) -> bool {
    use std::io::ErrorKind;
    use ureq::Timeout;
    match e {
        ureq::Error::Timeout(t) => !matches!(
            t,
            Timeout::Resolve
                | Timeout::Connect
                | Timeout::SendRequest
                | Timeout::SendBody
                | Timeout::PerWrite
        ),
        ureq::Error::Io(io) => !matches!(
            io.kind(),
            ErrorKind::ConnectionRefused
                | ErrorKind::HostUnreachable
                | ErrorKind::NetworkUnreachable
                | ErrorKind::NetworkDown
                | ErrorKind::AddrNotAvailable
                | ErrorKind::AddrInUse
                | ErrorKind::NotConnected
        ),
        ureq::Error::HostNotFound
        | ureq::Error::ConnectionFailed
        | ureq::Error::BadUri(_)
        | ureq::Error::Http(_)
        | ureq::Error::Tls(_)
        | ureq::Error::Rustls(_)
        | ureq::Error::Pem(_)
        | ureq::Error::TlsRequired
        | ureq::Error::RequireHttpsOnly(_)
        | ureq::Error::InvalidProxyUrl
        | ureq::Error::ConnectProxyFailed(_)
        | ureq::Error::BodyExceedsLimit(_) => false,
        _ => true,
    }
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

/// A GET with query parameters (encoded here).
pub fn get_query(
    agent: &ureq::Agent,
    url: &str,
    headers: &[(&str, &str)],
    query: &[(&str, &str)],
) -> Result<Reply, NoAnswer> {
    let mut req = agent.get(url);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    for (k, v) in query {
        req = req.query(*k, *v);
    }
    read(req.call())
}

/// A sentence for a transport error that never includes the URL (it can hold a bot token).
fn describe(e: &ureq::Error) -> String {
    match e {
        ureq::Error::Timeout(ureq::Timeout::Resolve | ureq::Timeout::Connect) => {
            "the service could not be reached in time (offline?)".into()
        }
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
