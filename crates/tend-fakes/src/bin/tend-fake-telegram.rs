//! A fake Telegram Bot API on loopback for the end-to-end tests:
//! `tend-fake-telegram <port> <token> <bot-username>`. Prints `listening <base>` when ready.
//! `GET /_fake/sent` lists the delivered messages; `POST /_fake/user_says` adds an update;
//! `POST /_fake/after_delivery` with `{"kind": "late", "secs": 3}` or `{"kind": "drop"}` makes
//! the next delivered message's answer come late or never; `POST /_fake/next_answer` with
//! `{"status": 429, "body": {...}}` answers the next `sendMessage` with that instead.

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let port: u16 = args.get(1).and_then(|p| p.parse().ok()).unwrap_or(0);
    let token = args.get(2).cloned().unwrap_or_else(|| "123456:TEST".into());
    let username = args
        .get(3)
        .cloned()
        .unwrap_or_else(|| "tend_test_bot".into());
    let fake = tend_fakes::telegram::FakeTelegram::start(port, &token, &username)
        .expect("the fake Telegram server starts");
    println!("listening {}", fake.base());
    loop {
        std::thread::park();
    }
}
