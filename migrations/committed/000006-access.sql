--! Previous: sha1:98ca2b7d267df2835140d9b66659c4a9b8b1226b
--! Hash: sha1:b152c057e15695fbb6176de8ef6cd85cb3668ead
--! Message: access

-- Access: roles with their policies (JSON: [{resource, actions, selectors}]), the roles users hold, and product
-- owners (for OWNER selectors). Idempotent, as graphile-migrate re-runs current.sql on every change; replayed by
-- pg-mem in tests, so plain DDL only.

create table if not exists roles (
  name text primary key,
  policies jsonb not null default '[]',
  -- Built-in roles cannot be deleted; the domain also keeps admin's policies as they are.
  built_in boolean not null default false,
  version integer not null default 1,
  created_at timestamptz not null default now()
);

-- admin may do everything; member is granted at sign-up and may read its own account and roles.
insert into roles (name, policies, built_in) values
  ('admin', '[{"resource":"PRODUCT","actions":["READ","CREATE","UPDATE","DELETE"],"selectors":["*"]},{"resource":"BATCH","actions":["READ","CREATE","UPDATE","DELETE"],"selectors":["*"]},{"resource":"USER","actions":["READ","CREATE","UPDATE","DELETE"],"selectors":["*"]},{"resource":"ROLE","actions":["READ","CREATE","UPDATE","DELETE"],"selectors":["*"]}]', true),
  ('member', '[{"resource":"USER","actions":["READ"],"selectors":["OWNER"]},{"resource":"ROLE","actions":["READ"],"selectors":["OWNER"]}]', true)
on conflict (name) do nothing;

-- Roles granted before this migration become roles without policies, so the foreign key below holds.
insert into roles (name) select distinct role from user_roles on conflict (name) do nothing;

alter table user_roles drop constraint if exists user_roles_role_fkey;
alter table user_roles add constraint user_roles_role_fkey foreign key (role) references roles (name) on delete cascade;

-- Revoking a role from everyone who holds it (deleteRole) finds them by role.
create index if not exists user_roles_role_idx on user_roles (role);

-- Who created the product (its first batch); null for products made before this or by no one in particular.
alter table products add column if not exists owner_id uuid constraint products_owner_id_fkey references users (id) on delete set null;
create index if not exists products_owner_id_idx on products (owner_id);

-- Accounts made before roles existed get the role sign-up now grants.
insert into user_roles (user_id, role) select id, 'member' from users on conflict do nothing;
