//! Starter (shared-tier) deployments and their database users: starter clusters at API v2,
//! starter workspaces at v1 (the same objects). Create one in a shared-tier region, delete it,
//! add a database user (a generated password is shown once), change a user's password, drop a
//! user. The API lists no users, so the pane knows the ones created here since it opened.

use std::collections::BTreeMap;

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use uuid::Uuid;

use crate::api::ApiVersion;
use crate::api::error::ApiError;
use crate::api::types::*;
use crate::effect::{Effect, Fetch, Mutation};
use crate::keymap::{Context, KeyDef};
use crate::msg::{Action, RequestId};
use crate::panes::ops::{self, Planned};
use crate::panes::pane::{Ctx, Pane, View};
use crate::state::{Failure, PaneId, Purpose, Resource, short_id};
use crate::widgets::form::{self, Field, Form};
use crate::widgets::modal::{FormModal, FormPurpose, Modal, Reveal};
use crate::widgets::palette::Command;
use crate::widgets::status;
use crate::widgets::table::{self, Column, Row, TableState};
use crate::widgets::toast::Level;

#[rustfmt::skip]
pub const KEYS: &[KeyDef] = &[
    (Context::Pane(PaneId::Starters), "c", Action::Create, "create", "Create a starter deployment"),
    (Context::Pane(PaneId::Starters), "ctrl-d", Action::Delete, "delete", "Delete the starter deployment (type its name to confirm)"),
    (Context::Pane(PaneId::Starters), "u", Action::AddUser, "add user", "Add a database user (the generated password is shown once)"),
    (Context::Pane(PaneId::Starters), "e", Action::Edit, "password", "Change the password of a database user added here"),
    (Context::Pane(PaneId::Starters), "D", Action::DropUser, "drop user", "Drop a database user added here"),
    (Context::Pane(PaneId::Starters), "y", Action::Copy, "", "Copy the endpoint"),
];

/// What the pane's forms are for (`FormPurpose::Edit(starter)` carries which starter).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum Asked {
    #[default]
    Nothing,
    AddUser,
    Password,
    DropUser,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Listing {
    pub starters: Vec<StarterCluster>,
    pub regions: Vec<RegionV2>,
}

#[derive(Debug)]
pub struct StartersPane {
    pub table: TableState,
    pub list: Resource<Listing>,
    /// Database users created here, per starter: (user ID, name).
    pub users: BTreeMap<Uuid, Vec<(Uuid, String)>>,
    asked: Asked,
    /// The user being added gets a password the API generates (shown once when it answers).
    generated: bool,
}

impl Default for StartersPane {
    fn default() -> Self {
        Self {
            table: TableState::new(vec![
                Column::new("NAME", Constraint::Fill(2)).min(16),
                Column::new("DATABASE", Constraint::Fill(1)).min(10),
                Column::new("ENDPOINT", Constraint::Fill(3)).min(24).optional(2),
                Column::new("USERS", Constraint::Fill(2)).min(10).optional(1),
                Column::new("PROJECT", Constraint::Length(8)).optional(3),
            ]),
            list: Resource::default(),
            users: BTreeMap::new(),
            asked: Asked::Nothing,
            generated: false,
        }
    }
}

/// What the pane calls a starter deployment at the session's version.
fn noun(cx_version: ApiVersion) -> &'static str {
    match cx_version {
        ApiVersion::V1 => "starter workspace",
        ApiVersion::V2 => "starter cluster",
    }
}

impl StartersPane {
    fn selected(&self) -> Option<&StarterCluster> {
        let id = Uuid::parse_str(self.table.selected_key()?).ok()?;
        self.list.value.as_ref()?.starters.iter().find(|s| s.virtual_cluster_id == id)
    }

    fn rebuild(&mut self) {
        let rows = self
            .list
            .value
            .iter()
            .flat_map(|l| &l.starters)
            .map(|s| {
                let users = self.users.get(&s.virtual_cluster_id).map_or_else(
                    || "-".to_string(),
                    |u| u.iter().map(|(_, n)| n.as_str()).collect::<Vec<_>>().join(", "),
                );
                Row::new(
                    s.virtual_cluster_id.to_string(),
                    vec![
                        s.name.clone(),
                        s.database_name.clone().unwrap_or_else(|| "-".into()),
                        s.endpoint.clone().unwrap_or_else(|| "-".into()),
                        users,
                        s.project_id.map_or_else(|| "-".into(), short_id),
                    ],
                )
            })
            .collect();
        self.table.set_rows(rows);
    }

    /// Opens a form about a database user of the selected starter.
    fn user_form(&mut self, cx: &mut Ctx, asked: Asked) {
        let Some(s) = self.selected() else { return };
        let (id, name) = (s.virtual_cluster_id, s.name.clone());
        let known: Vec<String> = self.users.get(&id).into_iter().flatten().map(|(_, n)| n.clone()).collect();
        let fields = match asked {
            Asked::AddUser => vec![
                Field::text("user", "User name", "").validate(form::required),
                Field::masked("password", "Password").hint("empty = the API generates one, shown once"),
            ],
            _ if known.is_empty() => {
                let text = format!("No database user of {name} was added here (the API does not list them): press u.");
                cx.toast(Level::Info, text);
                return;
            }
            Asked::Password => vec![
                Field::choice("user", "User", known, 0),
                Field::masked("password", "New password").validate(form::required),
            ],
            _ => vec![Field::choice("user", "User", known, 0)],
        };
        let title = match asked {
            Asked::AddUser => format!("Add a database user to {name}"),
            Asked::Password => format!("Change a password on {name}"),
            _ => format!("Drop a database user of {name}"),
        };
        self.asked = asked;
        cx.modals.push(Modal::Form(FormModal {
            form: Form::new(title, fields),
            purpose: FormPurpose::Edit(id),
            request: None,
        }));
    }

    fn create_form(&mut self, cx: &mut Ctx) {
        let Some(regions) = self.list.value.as_ref().map(|l| &l.regions).filter(|r| !r.is_empty()) else {
            cx.toast(Level::Info, "Loading the shared-tier regions; press c again in a moment.");
            return;
        };
        let options: Vec<String> = regions.iter().map(|r| format!("{} {}", r.provider, r.region_name)).collect();
        let form = Form::new(
            format!("Create {}", noun(cx.session.api_version)),
            vec![
                Field::text("name", "Name", "").validate(form::required),
                Field::text("database", "Database", "").validate(form::required).hint("the database it holds"),
                Field::choice("region", "Region", options, 0),
            ],
        );
        cx.modals.push(Modal::Form(FormModal { form, purpose: FormPurpose::Create, request: None }));
    }

    fn planned_create(&self, cx: &Ctx, form: &Form) -> Result<Planned, String> {
        let label = form.value("region");
        let regions = self.list.value.as_ref().map(|l| l.regions.as_slice()).unwrap_or_default();
        let region =
            regions.iter().find(|r| format!("{} {}", r.provider, r.region_name) == label).ok_or("choose a region")?;
        let name = form.value("name").trim().to_string();
        let body = StarterClusterCreate {
            name: name.clone(),
            database_name: form.value("database").trim().to_string(),
            // The starter routes want the provider exactly upper case.
            provider: StarterProvider::from_wire(&region.provider.as_str().to_ascii_uppercase()),
            region_name: region.region_name.clone(),
            project_id: None,
        };
        let label = match cx.session.api_version {
            ApiVersion::V1 => "create starter workspace",
            ApiVersion::V2 => "create starter cluster",
        };
        Ok(change(StartersChange::Create(body), label, "created", None, name))
    }

    /// The change a user form asks for, with the line that says what it does.
    fn planned_user(&self, starter: Uuid, form: &Form) -> Result<(Planned, Option<Vec<String>>), String> {
        let s = self.list.value.as_ref().and_then(|l| l.starters.iter().find(|s| s.virtual_cluster_id == starter));
        let name = s.map_or_else(|| short_id(starter), |s| s.name.clone());
        let user_name = form.value("user").trim().to_string();
        let user = || {
            self.users
                .get(&starter)
                .and_then(|u| u.iter().find(|(_, n)| *n == user_name))
                .map(|(id, _)| *id)
                .ok_or_else(|| format!("user {user_name} is unknown"))
        };
        let password = form.value("password");
        Ok(match self.asked {
            Asked::AddUser => {
                let body = StarterUserCreate {
                    user_name: user_name.clone(),
                    password: Some(password).filter(|p| !p.is_empty()),
                };
                (
                    change(
                        StartersChange::CreateUser { starter, body },
                        "add database user",
                        "added",
                        Some(starter),
                        user_name,
                    ),
                    None,
                )
            }
            Asked::Password => {
                let c =
                    StartersChange::SetPassword { starter, user: user()?, password: StarterUserUpdate { password } };
                (change(c, "change password", "changed", Some(starter), user_name), None)
            }
            Asked::DropUser => {
                let c = StartersChange::DeleteUser { starter, user: user()? };
                let lines = vec![format!("drop database user {user_name} of {name}; its sessions end")];
                (change(c, "drop database user", "dropped", Some(starter), user_name), Some(lines))
            }
            Asked::Nothing => return Err("nothing to do".into()),
        })
    }
}

fn change(c: StartersChange, label: &'static str, done: &'static str, target: Option<Uuid>, name: String) -> Planned {
    Planned::change(Mutation::Starter(c), label, done, target, name)
}

impl Pane for StartersPane {
    const ID: PaneId = PaneId::Starters;
    const TITLE: &'static str = "Starters";
    const COMMAND: Option<Command> =
        Some(Command { name: "starters", aliases: &["st"], help: "Starter deployments and their database users" });
    const KEYS: &'static [KeyDef] = KEYS;
    type Reply = StartersReply;

    fn refresh(&mut self, cx: &mut Ctx) -> Vec<Effect> {
        match self.list.start(cx.requests, Purpose::Pane(PaneId::Starters)) {
            Some(id) => vec![Effect::Fetch { id, fetch: Fetch::Starters(StartersRequest::List) }],
            None => Vec::new(),
        }
    }

    fn on_reply(&mut self, cx: &mut Ctx, id: RequestId, reply: Result<StartersReply, ApiError>) -> Vec<Effect> {
        let result = match reply {
            Ok(StartersReply::List { starters, regions }) => Ok(Listing { starters, regions }),
            Ok(other) => Err(Failure::new(format!("unexpected reply {other:?}"), cx.now)),
            Err(e) => Err(Failure::from_api(&e, cx.now)),
        };
        if self.list.accept(id, result, cx.now) {
            self.rebuild();
        }
        if self.list.take_queued() {
            return self.refresh(cx);
        }
        Vec::new()
    }

    fn on_changed(&mut self, cx: &mut Ctx, reply: &StartersReply) -> Vec<Effect> {
        match reply {
            StartersReply::UserCreated { starter, user_name, created } => {
                self.users.entry(*starter).or_default().push((created.user_id, user_name.clone()));
                // A password the user typed is not shown back; a generated one is, once.
                if std::mem::take(&mut self.generated) {
                    cx.modals.push(Modal::Reveal(Reveal {
                        title: format!("Password of database user {user_name}"),
                        lines: vec![
                            "The API shows this password only once.".to_string(),
                            "Copy it now (y); it is not stored anywhere.".to_string(),
                        ],
                        secret: created.password.clone(),
                        copied: false,
                        what: "password",
                    }));
                }
            }
            StartersReply::UserDropped(id) => self.users.values_mut().for_each(|u| u.retain(|(user, _)| user != id)),
            _ => {}
        }
        self.rebuild();
        Vec::new()
    }

    fn on_action(&mut self, cx: &mut Ctx, action: Action) -> Vec<Effect> {
        match action {
            Action::Create => self.create_form(cx),
            Action::AddUser => self.user_form(cx, Asked::AddUser),
            Action::Edit => self.user_form(cx, Asked::Password),
            Action::DropUser => self.user_form(cx, Asked::DropUser),
            Action::Delete => {
                if let Some(s) = self.selected() {
                    let what = noun(cx.session.api_version);
                    let label = match cx.session.api_version {
                        ApiVersion::V1 => "delete starter workspace",
                        ApiVersion::V2 => "delete starter cluster",
                    };
                    let id = s.virtual_cluster_id;
                    let planned = change(StartersChange::Delete { id }, label, "deleted", Some(id), s.name.clone());
                    let lines = vec![
                        format!(
                            "Delete {what} {} and its database {}?",
                            s.name,
                            s.database_name.as_deref().unwrap_or("-")
                        ),
                        "Its data and database users are gone for good.".to_string(),
                    ];
                    let title = format!("Delete {what}");
                    ops::confirm_typed(cx, title, lines, &s.name, planned);
                }
            }
            Action::Describe => {
                if let Some(s) = self.selected() {
                    cx.describe(format!("starter {}", s.name), s);
                }
            }
            Action::Copy => match self.selected().and_then(|s| s.endpoint.clone().map(|e| (s.name.clone(), e))) {
                Some((name, endpoint)) => {
                    return cx.copy(endpoint, format!("Copied the endpoint of {name}"));
                }
                None => cx.toast(Level::Error, "This starter has no endpoint yet."),
            },
            _ => {}
        }
        Vec::new()
    }

    fn on_form(&mut self, cx: &mut Ctx, purpose: FormPurpose) -> Vec<Effect> {
        let Some(Modal::Form(f)) = cx.modals.last() else { return Vec::new() };
        let planned = match purpose {
            FormPurpose::Create => self.planned_create(cx, &f.form).map(|p| (p, None)),
            FormPurpose::Edit(starter) => {
                self.generated = self.asked == Asked::AddUser && f.form.value("password").is_empty();
                self.planned_user(starter, &f.form)
            }
            _ => return Vec::new(),
        };
        super::ops::submit(cx, planned)
    }

    fn rebuild(&mut self, _cx: &Ctx) {
        StartersPane::rebuild(self);
    }

    fn table(&self) -> Option<&TableState> {
        Some(&self.table)
    }

    fn table_mut(&mut self) -> Option<&mut TableState> {
        Some(&mut self.table)
    }

    fn freshness(&self, _view: &View) -> Option<Option<std::time::Instant>> {
        Some(self.list.fetched_at)
    }

    fn render(&self, frame: &mut Frame, area: Rect, view: &View) {
        let t = view.theme;
        let what = match view.session.api_version {
            ApiVersion::V1 => "Starter workspaces",
            ApiVersion::V2 => "Starter clusters",
        };
        let mut title = vec![
            Span::styled(format!(" {what} "), t.title),
            Span::styled(format!("[{}/{}] ", self.table.len(), self.table.total()), t.dim),
        ];
        title.extend(status::stale(&self.list, view.now, t));
        let none = "No starter deployments. Press c to create one.";
        let empty = status::empty("starter deployments", &self.list, none, view.requests.next_refresh, view.now);
        table::render(frame, area, &self.table, t, Line::from(title), &empty);
    }
}
