//! The commands through the IPC boundary, on Tauri's mock runtime: argument names as the UI
//! sends them (camelCase), results as JSON, and errors in their `{code, message, field}` shape.

use serde_json::{json, Value};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{
    get_ipc_response, mock_builder, mock_context, noop_assets, MockRuntime, INVOKE_KEY,
};
use tauri::webview::InvokeRequest;
use tauri::WebviewWindow;

struct App {
    _app: tauri::App<MockRuntime>,
    window: WebviewWindow<MockRuntime>,
    _dir: tempfile::TempDir,
}

fn app() -> App {
    let dir = tempfile::tempdir().unwrap();
    // Memory secrets: tests never touch the developer's real credential store.
    let state = tend_app::AppState::open_with(
        dir.path().to_path_buf(),
        std::sync::Arc::new(tend_core::messaging::secrets::MemorySecrets::default()),
        tend_core::messaging::channels::Endpoints::default(),
    );
    let app = tend_app::with_commands(mock_builder(), state)
        .build(mock_context(noop_assets()))
        .expect("the app builds on the mock runtime");
    let window = tauri::WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .unwrap();
    App {
        _app: app,
        window,
        _dir: dir,
    }
}

impl App {
    fn call(&self, cmd: &str, args: Value) -> Result<Value, Value> {
        get_ipc_response(
            &self.window,
            InvokeRequest {
                cmd: cmd.into(),
                callback: CallbackFn(0),
                error: CallbackFn(1),
                // The app's own origin on Linux; any other origin is remote and refused by the ACL.
                url: "tauri://localhost".parse().unwrap(),
                body: InvokeBody::Json(args),
                headers: Default::default(),
                invoke_key: INVOKE_KEY.to_string(),
            },
        )
        .map(|b| b.deserialize::<Value>().unwrap())
    }

    fn ok(&self, cmd: &str, args: Value) -> Value {
        self.call(cmd, args.clone())
            .unwrap_or_else(|e| panic!("{cmd} {args} failed: {e}"))
    }
}

fn customer(name: &str, phone: &str) -> Value {
    json!({ "full_name": name, "phones": [{ "number": phone }] })
}

#[test]
fn create_search_log_and_complete_through_ipc() {
    let app = app();
    let saved = app.ok(
        "create_customer",
        json!({ "input": customer("Nguyễn Văn Đức", "0912 345 678"), "allowDuplicates": false }),
    );
    assert_eq!(saved["kind"], "saved");
    let id = saved["customer"]["id"].as_str().unwrap().to_string();
    assert_eq!(saved["customer"]["phones"][0]["number"], "+84912345678");

    for q in ["duc", "345678"] {
        let found = app.ok("search_customers", json!({ "query": q, "limit": 50 }));
        assert_eq!(found[0]["full_name"], "Nguyễn Văn Đức", "query {q}");
    }

    let logged = app.ok(
        "log_interaction",
        json!({ "input": {
            "customer_id": id, "kind": "call", "direction": "outbound",
            "content": "Khách hẹn gọi lại", "outcome": "callback",
            "next_action": "Gọi lại báo giá", "next_action_date": null
        }}),
    );
    assert!(
        logged["task_id"].is_string(),
        "a next action creates a task"
    );

    let detail = app.ok("open_customer", json!({ "id": id }));
    assert_eq!(detail["customer"]["total_interactions"], 1);
    assert_eq!(detail["timeline"]["items"].as_array().unwrap().len(), 1);
    let task_id = detail["open_tasks"][0]["id"].as_str().unwrap().to_string();

    let today = app.ok("today", json!({}));
    let upcoming = today["upcoming"].as_array().unwrap();
    assert!(
        upcoming.iter().any(|t| t["id"] == task_id.as_str())
            || today["today"][0]["id"] == task_id.as_str(),
        "the follow-up due a day later shows in Today: {today}"
    );
    let done = app.ok("complete_task", json!({ "id": task_id }));
    assert_eq!(done["status"], "done");

    let page = app.ok(
        "list_customers",
        json!({ "query": { "sort": "name", "offset": 0, "limit": 20 } }),
    );
    assert_eq!(page["total"], 1);
}

#[test]
fn errors_cross_as_code_message_field() {
    let app = app();
    let err = app
        .call(
            "create_customer",
            json!({ "input": customer("Lan", "0912 345"), "allowDuplicates": false }),
        )
        .unwrap_err();
    assert_eq!(err["code"], "invalid_input");
    assert_eq!(err["field"], "phone");
    // The UI words the error from its key and parameters, never from the English message.
    assert_eq!(err["key"], "phone.invalid_vietnamese");
    assert_eq!(err["params"]["value"], "0912 345");
    assert!(
        err["message"].as_str().unwrap().contains("0912 345"),
        "{err}"
    );
    let list = app.ok("list_customers", json!({ "query": { "limit": 10 } }));
    assert_eq!(list["total"], 0, "nothing saved");

    let err = app
        .call(
            "get_customer",
            json!({ "id": "0190d1c0-0000-7000-8000-000000000000" }),
        )
        .unwrap_err();
    assert_eq!(err["code"], "not_found");
    assert_eq!(err["key"], "not_found.customer");
    assert_eq!(err["field"], Value::Null);

    // The set of codes is closed: every error that can cross is one of these.
    let known = [
        "invalid_input",
        "not_found",
        "conflict",
        "newer_database",
        "storage",
        "internal",
    ];
    assert!(known.contains(&err["code"].as_str().unwrap()));
}

#[test]
fn duplicates_are_returned_not_saved() {
    let app = app();
    app.ok(
        "create_customer",
        json!({ "input": customer("Trần Thị Lan", "0987654321"), "allowDuplicates": false }),
    );
    let dup = app.ok(
        "create_customer",
        json!({ "input": customer("Lan", "+84 987 654 321"), "allowDuplicates": false }),
    );
    assert_eq!(dup["kind"], "duplicates");
    assert_eq!(dup["matches"][0]["full_name"], "Trần Thị Lan");
    let forced = app.ok(
        "create_customer",
        json!({ "input": customer("Lan", "+84 987 654 321"), "allowDuplicates": true }),
    );
    assert_eq!(forced["kind"], "saved");
}

#[test]
fn sample_data_loads_from_the_empty_state() {
    let app = app();
    let report = app.ok("load_sample_data", json!({}));
    assert!(report["customers"].as_i64().unwrap() >= 200);
    let info = app.ok("app_info", json!({}));
    assert_eq!(info["open_error"], Value::Null);
    assert!(info["locale"].is_string());
}

#[test]
fn a_newer_database_is_reported_by_every_command() {
    let dir = tempfile::tempdir().unwrap();
    {
        let mut s = tend_core::Store::open_dir(dir.path()).unwrap();
        s.connection()
            .pragma_update(None, "user_version", 1000)
            .unwrap();
    }
    let state = tend_app::AppState::open_with(
        dir.path().to_path_buf(),
        std::sync::Arc::new(tend_core::messaging::secrets::MemorySecrets::default()),
        tend_core::messaging::channels::Endpoints::default(),
    );
    let app = tend_app::with_commands(mock_builder(), state)
        .build(mock_context(noop_assets()))
        .unwrap();
    let window = tauri::WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .unwrap();
    let wrapped = App {
        _app: app,
        window,
        _dir: dir,
    };
    let err = wrapped
        .call("list_customers", json!({ "query": { "limit": 10 } }))
        .unwrap_err();
    assert_eq!(err["code"], "newer_database");
    let info = wrapped.ok("app_info", json!({}));
    assert_eq!(info["open_error"]["code"], "newer_database");
}

// ---------------------------------------------------------------- messaging

fn messaging_app(telegram_base: &str) -> App {
    let dir = tempfile::tempdir().unwrap();
    let endpoints = tend_core::messaging::channels::Endpoints {
        telegram_api: telegram_base.to_string(),
        ..Default::default()
    };
    let secrets = std::sync::Arc::new(tend_core::messaging::secrets::MemorySecrets::default());
    let state = tend_app::AppState::open_with(dir.path().to_path_buf(), secrets, endpoints);
    let app = tend_app::with_commands(mock_builder(), state)
        .build(mock_context(noop_assets()))
        .unwrap();
    {
        let handle = app.handle().clone();
        tend_app::set_event_sink(&handle);
        tend_app::workers::start(&handle);
    }
    let window = tauri::WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .unwrap();
    App {
        _app: app,
        window,
        _dir: dir,
    }
}

#[test]
fn configure_telegram_then_send_a_template_through_the_outbox() {
    let tg = tend_fakes::telegram::FakeTelegram::start(0, "555:TOKEN", "tend_shop_bot").unwrap();
    let app = messaging_app(&tg.base());

    // Settings: the token is a secret (write-only); test connection learns the bot's name.
    let view = app.ok(
        "save_settings",
        json!({ "settings": { "my_name": "Lan" }, "secrets": { "telegram_token": "555:TOKEN" } }),
    );
    assert_eq!(view["secrets"]["telegram_token"], true);
    assert!(
        view.to_string().find("555:TOKEN").is_none(),
        "secrets never come back to the UI"
    );
    let test = app.ok("test_channel", json!({ "channel": "telegram" }));
    assert_eq!(test["ok"], true, "{test}");
    assert_eq!(test["message"], "@tend_shop_bot");

    let saved = app.ok(
        "create_customer",
        json!({ "input": { "full_name": "Nguyễn Văn Đức", "phones": [{ "number": "0912345678" }], "telegram_id": "4242" }, "allowDuplicates": false }),
    );
    let customer = saved["customer"]["id"].as_str().unwrap().to_string();
    let template = app.ok(
        "create_template",
        json!({ "input": { "name": "Chào", "channel": "telegram", "category": "greeting", "body": "Chào anh {{customer.given_name}}, em là {{me.name}}." } }),
    );
    let template_id = template["id"].as_str().unwrap().to_string();
    let preview = app.ok(
        "preview_template",
        json!({ "customerId": customer, "templateId": template_id, "channel": "telegram" }),
    );
    assert_eq!(preview["text"], "Chào anh Đức, em là Lan.");

    let request = json!({ "request": { "customer_id": customer, "template_id": template_id, "channel": "telegram", "idempotency_key": "compose-1" } });
    let queued = app.ok("send_message", request.clone());
    let again = app.ok("send_message", request);
    assert_eq!(queued["id"], again["id"], "a double click queues once");

    let id = queued["id"].as_str().unwrap().to_string();
    let mut status = String::new();
    for _ in 0..100 {
        let page = app.ok("list_outbox", json!({ "query": {} }));
        status = page["items"][0]["status"].as_str().unwrap().to_string();
        if status == "sent" {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert_eq!(status, "sent");
    let sent = tg.sent();
    assert_eq!(sent.len(), 1, "exactly one message reached Telegram");
    assert_eq!(sent[0].chat_id, 4242);
    assert_eq!(sent[0].text, "Chào anh Đức, em là Lan.");
    let detail = app.ok("open_customer", json!({ "id": customer }));
    assert_eq!(detail["timeline"]["items"][0]["kind"], "telegram");
    assert_eq!(
        detail["timeline"]["items"][0]["content"],
        "Chào anh Đức, em là Lan."
    );
    let counts = app.ok("outbox_counts", json!({}));
    assert_eq!(counts["failed"], 0);
    let _ = id;
}

#[test]
fn a_template_syntax_error_crosses_with_its_field() {
    let app = app();
    let err = app
        .call(
            "create_template",
            json!({ "input": { "name": "x", "body": "{{#if}}" } }),
        )
        .unwrap_err();
    assert_eq!(err["code"], "invalid_input");
    assert_eq!(err["field"], "body");
}

// ---------------------------------------------------------------- care scenarios

#[test]
fn a_scenario_built_and_enrolled_through_ipc_runs_its_first_step() {
    // The app starts every worker, the care worker among them.
    let app = messaging_app("http://127.0.0.1:9");
    let saved = app.ok(
        "create_customer",
        json!({ "input": { "full_name": "Trần Văn Bình", "phones": [{ "number": "0987654321" }] }, "allowDuplicates": false }),
    );
    let customer = saved["customer"]["id"].as_str().unwrap().to_string();
    let scenario = app.ok(
        "create_scenario",
        json!({ "input": { "name": "Chào mừng", "exit_on_reply": true, "steps": [
            { "kind": "task", "title": "Gọi chào mừng", "delay_from": "start" },
            { "kind": "notification", "title": "Hỏi thăm anh Bình", "delay_days": 2, "delay_from": "previous" }
        ] } }),
    );
    let id = scenario["id"].as_str().unwrap().to_string();
    let plan = app.ok(
        "plan_enrollment",
        json!({ "scenarioId": id, "customerId": customer }),
    );
    assert_eq!(plan.as_array().unwrap().len(), 2);
    let report = app.ok(
        "enroll",
        json!({ "scenarioId": id, "target": { "kind": "customers", "ids": [customer] } }),
    );
    assert_eq!(report["enrolled"], 1);
    let again = app.ok(
        "enroll",
        json!({ "scenarioId": id, "target": { "kind": "customers", "ids": [customer] } }),
    );
    assert_eq!(
        again["already"], 1,
        "one live enrolment per customer and scenario"
    );

    // The scheduler thread does the first step at once.
    let mut tasks = json!([]);
    for _ in 0..100 {
        tasks = app.ok(
            "customer_tasks",
            json!({ "customerId": customer, "includeClosed": false }),
        );
        if !tasks.as_array().unwrap().is_empty() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert_eq!(tasks[0]["title"], "Gọi chào mừng");
    let enrollments = app.ok("customer_enrollments", json!({ "customerId": customer }));
    let e = &enrollments[0];
    assert_eq!(e["status"], "active");
    assert_eq!(e["log"].as_array().unwrap().len(), 1);
    let eid = e["id"].as_str().unwrap().to_string();
    assert_eq!(
        app.ok("pause_enrollment", json!({ "id": eid }))["status"],
        "paused"
    );
    assert_eq!(
        app.ok("resume_enrollment", json!({ "id": eid }))["status"],
        "active"
    );
    let err = app
        .call("delete_scenario", json!({ "id": id }))
        .unwrap_err();
    assert_eq!(err["code"], "conflict");
    assert_eq!(
        app.ok("cancel_enrollment", json!({ "id": eid }))["status"],
        "cancelled"
    );
    app.ok("delete_scenario", json!({ "id": id }));
}

// ---------------------------------------------------------------- workers

#[test]
fn every_worker_reports_its_health() {
    let app = messaging_app("http://127.0.0.1:9");
    let health = app.ok("worker_health", json!({}));
    let names: Vec<&str> = health
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["outbox", "care", "telegram", "zalo"]);
    for h in health.as_array().unwrap() {
        assert_eq!(h["running"], true, "{h}");
        assert_eq!(h["panics"], 0, "{h}");
    }
}
