//! Demo data: a believable Brazilian organic-conversion programme, loaded by `MUTIRAO_DEMO=1`
//! into an empty database. Every demo account's password is `mutirao-demo`.

use shared::{accounts::ValidNewUser, network::NewActor, AppError, Role};

use crate::{accounts::SurrealAccounts, network::SurrealNetwork};

pub const DEMO_PASSWORD: &str = "mutirao-demo";

/// `name, kind, state, municipality`, tab-separated, with a header line.
const ACTORS: &str = include_str!("actors.tsv");

/// The cooperative the demo member belongs to.
pub const MEMBER_COOPERATIVE: &str = "Cooperativa Agroecológica Terra Viva";

pub struct DemoAccount {
    pub email: &'static str,
    pub name: &'static str,
    pub roles: &'static [Role],
}

pub const ACCOUNTS: [DemoAccount; 4] = [
    DemoAccount { email: "admin@example.org", name: "Ana Administradora", roles: &[Role::Admin] },
    DemoAccount { email: "secretariat@example.org", name: "Sérgio da Secretaria", roles: &[Role::Secretariat] },
    DemoAccount { email: "organizer@example.org", name: "Olívia Organizadora", roles: &[Role::Organizer] },
    DemoAccount { email: "member@example.org", name: "Márcio Membro", roles: &[Role::Member] },
];

/// The demo actors, parsed.
pub fn actors() -> Vec<NewActor> {
    ACTORS
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let mut cols = line.split('\t').map(str::trim);
            let mut next = || cols.next().filter(|c| !c.is_empty()).map(str::to_string);
            NewActor { name: next().unwrap_or_default(), kind: next().unwrap_or_default(), state: next(), municipality: next() }
        })
        .collect()
}

/// Loads the demo into an empty database; does nothing when any user exists.
/// Returns whether it loaded.
pub async fn load_if_empty(accounts: &SurrealAccounts, network: &SurrealNetwork) -> Result<bool, AppError> {
    if !accounts.is_empty().await? {
        return Ok(false);
    }
    let mut member_coop = None;
    for actor in actors() {
        let created = network.insert_actor(actor).await?;
        if created.name == MEMBER_COOPERATIVE {
            member_coop = Some(created.id);
        }
    }
    for account in &ACCOUNTS {
        let actor_ids = if account.roles.contains(&Role::Member) { member_coop.iter().cloned().collect() } else { vec![] };
        accounts
            .insert_user(
                ValidNewUser {
                    email: account.email.into(),
                    name: account.name.into(),
                    roles: account.roles.to_vec(),
                    password: Some(DEMO_PASSWORD.into()),
                    actor_ids,
                },
                None,
            )
            .await?;
    }
    tracing::info!("demo data loaded");
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared::network::ACTOR_KINDS;

    #[test]
    fn demo_actors_are_valid_and_cover_every_kind() {
        let actors = actors();
        assert!(actors.len() >= 35, "about 40 actors, got {}", actors.len());
        for a in &actors {
            a.validate().unwrap_or_else(|e| panic!("{} is invalid: {e}", a.name));
        }
        for (kind, _) in ACTOR_KINDS {
            assert!(actors.iter().any(|a| a.kind == kind), "no demo actor of kind {kind}");
        }
        assert!(actors.iter().any(|a| a.name == MEMBER_COOPERATIVE));
        let mut names: Vec<_> = actors.iter().map(|a| shared::text::fold(&a.name)).collect();
        names.sort();
        let n = names.len();
        names.dedup();
        assert_eq!(n, names.len(), "demo actor names are unique");
    }
}
