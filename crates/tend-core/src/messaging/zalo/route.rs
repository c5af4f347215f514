//! The cheapest way Zalo allows to reach a customer, chosen per message at the moment it is
//! sent: a free reply (within 48 hours of their last message, Zalo's 8 free replies not used
//! up) → a consultation message (within 7 days of it) → a template message to their phone (when
//! the Tend template maps to an approved Zalo template and they have a phone) → the
//! salesperson's own Zalo, by hand. A route that failed for good for a message is never tried
//! again for it: the next one applies.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::base::text_enum::text_enum;
use crate::base::time::UtcMillis;
use crate::messaging::zalo::contacts::{ZaloWindow, FREE_REPLIES};

/// How a Zalo message goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ZaloRoute {
    /// A consultation message quoting the customer's last message, free within 48 hours.
    FreeReply,
    /// A consultation message, allowed within 7 days of the customer's last message.
    Consultation,
    /// An approved Zalo template to the customer's phone, paid per message.
    Template,
    /// The salesperson's own Zalo, by hand.
    Personal,
}

text_enum!(ZaloRoute { FreeReply => "free_reply", Consultation => "consultation", Template => "template", Personal => "personal" });

/// Why a route was chosen, for the UI to word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum RouteReason {
    /// The customer wrote within 48 hours and free replies are left.
    FreeReplyWindow,
    /// The customer wrote within 7 days.
    ConsultationWindow,
    /// The customer has not written to the OA in 7 days (or never).
    OutsideWindows,
    /// The customer has no Zalo user id (they never wrote to the OA, or were never linked).
    NoZaloUserId,
    /// The routes before this one failed for this message.
    EarlierRouteFailed,
    /// The Tend template has no Zalo template mapping.
    NoTemplateMapping,
    /// The customer has no phone number.
    NoPhone,
}

/// What the choice depends on besides the window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RouteNeeds {
    pub has_user_id: bool,
    pub has_phone: bool,
    pub has_mapping: bool,
}

/// The route for a message at `now`, and why; `tried` are the routes that already failed for
/// good for it.
pub fn choose(
    window: &ZaloWindow,
    needs: RouteNeeds,
    tried: &[ZaloRoute],
    now: UtcMillis,
) -> (ZaloRoute, RouteReason) {
    let open = |r: ZaloRoute| !tried.contains(&r);
    if needs.has_user_id && open(ZaloRoute::FreeReply) && window.free_reply_open(now) {
        return (ZaloRoute::FreeReply, RouteReason::FreeReplyWindow);
    }
    if needs.has_user_id && open(ZaloRoute::Consultation) && window.consultation_open(now) {
        return (ZaloRoute::Consultation, RouteReason::ConsultationWindow);
    }
    // Why the chat routes do not apply: a failure, no user id, or the windows are closed.
    let chat_failed = needs.has_user_id
        && ((window.free_reply_open(now) && !open(ZaloRoute::FreeReply))
            || (window.consultation_open(now) && !open(ZaloRoute::Consultation)));
    let why_not_chat = if chat_failed {
        RouteReason::EarlierRouteFailed
    } else if !needs.has_user_id {
        RouteReason::NoZaloUserId
    } else {
        RouteReason::OutsideWindows
    };
    if needs.has_mapping && needs.has_phone && open(ZaloRoute::Template) {
        return (ZaloRoute::Template, why_not_chat);
    }
    let why = if !needs.has_mapping {
        RouteReason::NoTemplateMapping
    } else if !needs.has_phone {
        RouteReason::NoPhone
    } else {
        RouteReason::EarlierRouteFailed
    };
    (ZaloRoute::Personal, why)
}

/// Free replies left in the window at `now` (0 when it is closed).
pub fn free_replies_left(window: &ZaloWindow, now: UtcMillis) -> i64 {
    if window.free_reply_open(now) {
        FREE_REPLIES - window.free_replies_used
    } else {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ZaloRoute::*;

    const H: i64 = 3_600_000;
    const T: i64 = 1_000 * H;

    fn window(hours_ago: Option<i64>, used: i64) -> ZaloWindow {
        ZaloWindow {
            last_inbound_at: hours_ago.map(|h| T - h * H),
            last_inbound_message_id: hours_ago.map(|_| "m1".to_string()),
            free_replies_used: used,
        }
    }

    /// Last message hours ago, free replies used, needs, routes tried → route, reason.
    type Row = (
        Option<i64>,
        i64,
        RouteNeeds,
        Vec<ZaloRoute>,
        ZaloRoute,
        RouteReason,
    );

    #[test]
    fn the_first_route_that_applies_wins() {
        let all = RouteNeeds {
            has_user_id: true,
            has_phone: true,
            has_mapping: true,
        };
        let no_uid = RouteNeeds {
            has_user_id: false,
            ..all
        };
        let no_map = RouteNeeds {
            has_mapping: false,
            ..all
        };
        let no_phone = RouteNeeds {
            has_phone: false,
            ..all
        };
        use RouteReason as R;
        let table: Vec<Row> = vec![
            (Some(1), 0, all, vec![], FreeReply, R::FreeReplyWindow),
            (Some(47), 7, all, vec![], FreeReply, R::FreeReplyWindow),
            (
                Some(47),
                8,
                all,
                vec![],
                Consultation,
                R::ConsultationWindow,
            ),
            (
                Some(48),
                0,
                all,
                vec![],
                Consultation,
                R::ConsultationWindow,
            ),
            (
                Some(7 * 24 - 1),
                0,
                all,
                vec![],
                Consultation,
                R::ConsultationWindow,
            ),
            (Some(7 * 24), 0, all, vec![], Template, R::OutsideWindows),
            (None, 0, all, vec![], Template, R::OutsideWindows),
            (Some(1), 0, no_uid, vec![], Template, R::NoZaloUserId),
            (None, 0, no_uid, vec![], Template, R::NoZaloUserId),
            (
                Some(10 * 24),
                0,
                no_map,
                vec![],
                Personal,
                R::NoTemplateMapping,
            ),
            (Some(10 * 24), 0, no_phone, vec![], Personal, R::NoPhone),
            (Some(1), 0, no_map, vec![], FreeReply, R::FreeReplyWindow),
            // Failed for good: the next route, never the same twice.
            (
                Some(1),
                0,
                all,
                vec![FreeReply],
                Consultation,
                R::ConsultationWindow,
            ),
            (
                Some(1),
                0,
                all,
                vec![FreeReply, Consultation],
                Template,
                R::EarlierRouteFailed,
            ),
            (
                Some(100),
                0,
                all,
                vec![Consultation],
                Template,
                R::EarlierRouteFailed,
            ),
            (
                Some(100),
                0,
                all,
                vec![Consultation, Template],
                Personal,
                R::EarlierRouteFailed,
            ),
            (
                Some(1),
                0,
                no_map,
                vec![FreeReply, Consultation],
                Personal,
                R::NoTemplateMapping,
            ),
            (
                None,
                0,
                RouteNeeds::default(),
                vec![],
                Personal,
                R::NoTemplateMapping,
            ),
        ];
        for (i, (ago, used, needs, tried, route, reason)) in table.into_iter().enumerate() {
            assert_eq!(
                choose(&window(ago, used), needs, &tried, T),
                (route, reason),
                "row {i}"
            );
        }
    }

    #[test]
    fn free_replies_left_count_down_and_close_with_the_window() {
        assert_eq!(free_replies_left(&window(Some(1), 3), T), 5);
        assert_eq!(free_replies_left(&window(Some(49), 0), T), 0);
        assert_eq!(free_replies_left(&window(None, 0), T), 0);
    }
}
