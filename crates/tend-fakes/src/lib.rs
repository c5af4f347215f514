//! Local HTTP servers that answer as the Telegram Bot API and the Zalo OA API do: the same
//! paths, status codes and JSON bodies, including their errors (429 with `retry_after`, 403,
//! 401, Zalo's HTTP-200 error bodies, token refresh that retires the old refresh token), plus
//! scripted failures and delays for timeouts. Tests, benchmarks and the end-to-end suite use
//! them; nothing here is part of the app.

pub mod http;
pub mod telegram;
pub mod zalo;

pub use http::{FakeServer, Mishap, Request, Response};
