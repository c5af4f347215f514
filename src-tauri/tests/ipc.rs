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
    let state = tend_app::AppState::open(dir.path().to_path_buf());
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
    let state = tend_app::AppState::open(dir.path().to_path_buf());
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
