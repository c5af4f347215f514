//! A fake Zalo (OA API, OAuth and business API on one base) on loopback for the end-to-end
//! tests: `tend-fake-zalo <port> <app-id> <secret-key> <access-token> <refresh-token>`. Prints
//! `listening <base>` when ready. Test hooks: `GET /_fake/sent` (consultation messages
//! delivered), `GET /_fake/template_sent` (template messages delivered), `POST /_fake/user_says`
//! with `{"user_id", "name", "text"}` (a user writes to the OA; answers its `message_id`),
//! `POST /_fake/template` with `{"id", "name", "params": [["customer_name", 30]]}` (an approved
//! template), `POST /_fake/outside_window` with `{"user_id"}` (Zalo answers -230 for them),
//! `POST /_fake/next_answer` and `POST /_fake/after_delivery` as the fake Telegram has them.

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let arg = |i: usize, default: &str| args.get(i).cloned().unwrap_or_else(|| default.into());
    let port: u16 = arg(1, "0").parse().unwrap_or(0);
    let fake = tend_fakes::zalo::FakeZalo::start_on(
        port,
        &arg(2, "app1"),
        &arg(3, "secret"),
        &arg(4, "access-0"),
        &arg(5, "refresh-0"),
    )
    .expect("the fake Zalo server starts");
    println!("listening {}", fake.base());
    loop {
        std::thread::park();
    }
}
