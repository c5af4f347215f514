//! Effects: what a use case changed that someone else must act on. A use case records them on
//! the store it wrote through; the shell takes them after each command (or worker pass) and acts
//! on them in one place, instead of deciding by hand which worker to wake.

/// The effects recorded since they were last taken.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Effects {
    /// New or newly due outbox messages: wake the outbox worker.
    pub wake_outbox: bool,
    /// Enrolments or scenarios changed: wake the care worker to recompute what is due.
    pub wake_care: bool,
    /// Channel settings or secrets changed: rebuild the channels the outbox worker uses.
    pub reload_channels: bool,
    /// Data that other screens show changed behind their back: tell the UI to refresh.
    pub data_changed: bool,
}

impl Effects {
    /// No effect.
    pub const NONE: Effects = Effects {
        wake_outbox: false,
        wake_care: false,
        reload_channels: false,
        data_changed: false,
    };

    /// Wake the outbox worker.
    pub const WAKE_OUTBOX: Effects = Effects {
        wake_outbox: true,
        ..Effects::NONE
    };
    /// Wake the care worker.
    pub const WAKE_CARE: Effects = Effects {
        wake_care: true,
        ..Effects::NONE
    };
    /// Rebuild the outbox worker's channels, then let it look.
    pub const RELOAD_CHANNELS: Effects = Effects {
        reload_channels: true,
        wake_outbox: true,
        ..Effects::NONE
    };
    /// Tell the UI to refresh.
    pub const DATA_CHANGED: Effects = Effects {
        data_changed: true,
        ..Effects::NONE
    };

    /// Whether there is nothing to do.
    pub fn is_empty(&self) -> bool {
        *self == Effects::NONE
    }

    /// Both sets of effects.
    pub fn merge(self, other: Effects) -> Effects {
        Effects {
            wake_outbox: self.wake_outbox || other.wake_outbox,
            wake_care: self.wake_care || other.wake_care,
            reload_channels: self.reload_channels || other.reload_channels,
            data_changed: self.data_changed || other.data_changed,
        }
    }
}
