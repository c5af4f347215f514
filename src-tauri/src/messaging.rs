//! Commands for templates, sending, the outbox and channel settings, and the background workers
//! (the outbox sender and the Telegram binding watcher).

use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Runtime, State};
use ts_rs::TS;

use tend_core::base::ids::{CustomerId, OutboxId, TemplateId};
use tend_core::base::page::Page;
use tend_core::base::time::system_now;
use tend_core::messaging::assisted::AssistedItem;
use tend_core::messaging::channels::{
    self, ChannelSettings, ConnectionTest, SecretsInput, SecretsPresent,
};
use tend_core::messaging::outbox::{
    AssistedSend, ComposeRequest, OutboxCounts, OutboxMessage, OutboxQuery, SendChannel,
};
use tend_core::messaging::templates::{
    self, Rendered, Template, TemplateFilter, TemplateInput, TemplateVariable,
};
use tend_core::{Error, ErrorPayload};

use crate::state::AppState;

type Reply<T> = Result<T, ErrorPayload>;

#[tauri::command]
pub fn list_templates(state: State<'_, AppState>, filter: TemplateFilter) -> Reply<Vec<Template>> {
    state.with(|s| s.list_templates(&filter))
}

#[tauri::command]
pub fn get_template(state: State<'_, AppState>, id: TemplateId) -> Reply<Template> {
    state.with(|s| s.get_template(&id))
}

#[tauri::command]
pub fn create_template(state: State<'_, AppState>, input: TemplateInput) -> Reply<Template> {
    state.with(|s| s.create_template(&input, system_now()))
}

#[tauri::command]
pub fn update_template(
    state: State<'_, AppState>,
    id: TemplateId,
    input: TemplateInput,
) -> Reply<Template> {
    state.with(|s| s.update_template(&id, &input, system_now()))
}

#[tauri::command]
pub fn duplicate_template(
    state: State<'_, AppState>,
    id: TemplateId,
    suffix: String,
) -> Reply<Template> {
    state.with(|s| s.duplicate_template(&id, &suffix, system_now()))
}

#[tauri::command]
pub fn delete_template(state: State<'_, AppState>, id: TemplateId) -> Reply<()> {
    state.with(|s| s.delete_template(&id))
}

#[tauri::command]
pub fn template_variables() -> Vec<TemplateVariable> {
    templates::variables()
}

/// The live preview of a stored template for a customer on a channel.
#[tauri::command]
pub fn preview_template(
    state: State<'_, AppState>,
    customer_id: CustomerId,
    template_id: TemplateId,
    channel: SendChannel,
) -> Reply<Rendered> {
    state.with(|s| {
        s.render_template(
            &template_id,
            &customer_id,
            channel == SendChannel::Email,
            &s.today_text(system_now()),
        )
    })
}

/// The editor's live preview of unsaved text for a customer.
#[tauri::command]
pub fn preview_draft(
    state: State<'_, AppState>,
    customer_id: CustomerId,
    subject: Option<String>,
    body: String,
    email: bool,
) -> Reply<Rendered> {
    state.with(|s| {
        let today = s.today_text(system_now());
        s.render_draft(subject.as_deref(), &body, &customer_id, email, &today)
    })
}

/// Queues a message; the outbox worker delivers it.
#[tauri::command]
pub fn send_message(state: State<'_, AppState>, request: ComposeRequest) -> Reply<OutboxMessage> {
    state.with(|s| {
        let now = system_now();
        let today = s.today_text(now);
        s.compose(&request, &today, now)
    })
}

#[tauri::command]
pub fn prepare_assisted(
    state: State<'_, AppState>,
    request: ComposeRequest,
) -> Reply<AssistedSend> {
    state.with(|s| s.prepare_assisted(&request, &s.today_text(system_now())))
}

/// Records a personal Zalo/Telegram message the salesperson confirmed they sent.
#[tauri::command]
pub fn confirm_assisted(
    state: State<'_, AppState>,
    request: ComposeRequest,
) -> Reply<OutboxMessage> {
    state.with(|s| {
        let now = system_now();
        let today = s.today_text(now);
        s.record_assisted(&request, &today, now)
    })
}

/// Opens a personal chat in the browser or the Zalo/Telegram app. Only those two sites.
#[tauri::command]
pub fn open_chat<R: Runtime>(app: AppHandle<R>, url: String) -> Reply<()> {
    if !(url.starts_with("https://zalo.me/") || url.starts_with("https://t.me/")) {
        return Err(ErrorPayload::from(&Error::field(
            "url",
            "chat.url_not_allowed",
            "only zalo.me and t.me chats can be opened",
        )));
    }
    use tauri_plugin_opener::OpenerExt;
    app.opener().open_url(url, None::<&str>).map_err(|e| {
        ErrorPayload::from(&Error::Internal(format!(
            "the chat could not be opened: {e}"
        )))
    })
}

#[tauri::command]
pub fn list_outbox(state: State<'_, AppState>, query: OutboxQuery) -> Reply<Page<OutboxMessage>> {
    state.with(|s| s.list_outbox(&query))
}

#[tauri::command]
pub fn outbox_counts(state: State<'_, AppState>) -> Reply<OutboxCounts> {
    state.with(|s| s.outbox_counts())
}

#[tauri::command]
pub fn retry_message(state: State<'_, AppState>, id: OutboxId) -> Reply<OutboxMessage> {
    state.with(|s| s.retry_message(&id, system_now()))
}

#[tauri::command]
pub fn cancel_message(state: State<'_, AppState>, id: OutboxId) -> Reply<OutboxMessage> {
    state.with(|s| s.cancel_or_skip_message(&id, system_now()))
}

/// The network came back (the window's `online` event): send what waited for it.
#[tauri::command]
pub fn network_online(state: State<'_, AppState>) -> Reply<()> {
    state.with(|s| s.retry_offline_now(system_now()).map(|_| ()))
}

/// Settings as the screen shows them: values, and which secrets are set (never their values).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SettingsView {
    pub settings: ChannelSettings,
    pub secrets: SecretsPresent,
}

fn settings_view(state: &AppState) -> Reply<SettingsView> {
    Ok(SettingsView {
        settings: state.with(|s| s.channel_settings())?,
        secrets: channels::secrets_present(state.secrets.as_ref())
            .map_err(|e| ErrorPayload::from(&e))?,
    })
}

#[tauri::command]
pub fn get_settings(state: State<'_, AppState>) -> Reply<SettingsView> {
    settings_view(&state)
}

/// Saves settings and the secrets typed (blank fields keep the stored secret).
#[tauri::command]
pub fn save_settings(
    state: State<'_, AppState>,
    settings: ChannelSettings,
    secrets: SecretsInput,
) -> Reply<SettingsView> {
    state.with(|s| s.save_settings(&settings, state.secrets.as_ref(), &secrets))?;
    settings_view(&state)
}

/// Tests a channel with the saved settings: Telegram `getMe` (and remembers the bot's name),
/// Zalo's token check (refreshing it if needed), or an SMTP connection with authentication.
/// Runs on a blocking thread: the network can take up to the request timeout.
#[tauri::command]
pub async fn test_channel(
    state: State<'_, AppState>,
    channel: SendChannel,
) -> Reply<ConnectionTest> {
    let channels = state.channels()?;
    let (test, bot_username) =
        tauri::async_runtime::spawn_blocking(move || channels.test_connection(channel))
            .await
            .map_err(|e| ErrorPayload::from(&Error::Internal(e.to_string())))?;
    if let Some(name) = bot_username {
        state.with(|s| s.set_setting("telegram_bot_username", Some(&name)))?;
    }
    Ok(test)
}

/// A `t.me/<bot>?start=<token>` link that binds the customer's Telegram when they press Start.
#[tauri::command]
pub fn telegram_link(state: State<'_, AppState>, customer_id: CustomerId) -> Reply<String> {
    let link = state.with(|s| {
        let bot = s.setting("telegram_bot_username")?.unwrap_or_default();
        s.telegram_binding_link(&customer_id, &bot, system_now())
    })?;
    Ok(link)
}

/// The personal messages scenarios prepared, waiting for the salesperson (Today).
#[tauri::command]
pub fn assisted_queue(state: State<'_, AppState>) -> Reply<Vec<AssistedItem>> {
    state.with(|s| s.assisted_queue(100))
}

/// The salesperson sent a waiting personal message (`sent`), or skipped it.
#[tauri::command]
pub fn finish_assisted(
    state: State<'_, AppState>,
    id: OutboxId,
    sent: bool,
) -> Reply<OutboxMessage> {
    state.with(|s| s.finish_assisted(&id, sent, system_now()))
}
