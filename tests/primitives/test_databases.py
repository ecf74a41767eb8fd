"""The rules of a database whatever its cloud: PostgreSQL's own limits on its name."""


HEAD = "app: shop\naws: {region: eu-west-1}\n"



def test_a_database_is_not_named_as_a_key_word_postgresql_reserves(problems):
    # https://www.postgresql.org/docs/current/sql-keywords-appendix.html
    assert problems(HEAD + "databases: {user: {}}\n") == [(
        '3: databases.user: "user" is a key word PostgreSQL reserves: choose another name '
        "(https://www.postgresql.org/docs/current/sql-keywords-appendix.html)")]


def test_a_database_is_not_named_as_one_every_server_has(problems):
    # https://www.postgresql.org/docs/current/manage-ag-templatedbs.html
    assert problems(HEAD + "databases: {template1: {}}\n") == [(
        '3: databases.template1: "template1" is a database every PostgreSQL server has: choose another name '
        "(https://www.postgresql.org/docs/current/manage-ag-templatedbs.html)")]


def test_a_database_name_fits_the_63_bytes_postgresql_keeps(problems):
    # https://www.postgresql.org/docs/current/sql-syntax-lexical.html#SQL-SYNTAX-IDENTIFIERS: NAMEDATALEN - 1
    name = "a" * 64
    assert f"3: databases.{name}: is 64 characters: PostgreSQL keeps 63 of a name" in problems(
        HEAD + f"databases: {{{name}: {{}}}}\n")[0]


def test_a_service_uses_only_declared_databases(problems):
    assert problems(HEAD + "databases: {orders: {}}\nservices: {api: {uses: {databases: [order]}}}\n") == [
        '4: services.api.uses.databases.0: unknown database "order"; did you mean "orders"?']
