#pragma once
// ampere's GraphQL query texts, verbatim; the simulator serves the same texts and
// tests/github/graphql_queries_test.mjs validates them against GitHub's published schema.

#include <string_view>

namespace ampere::github::queries {

/// Q1: a repository's default-branch commits since $since, 100 per page, with line stats and authors.
inline constexpr std::string_view commits =
    R"(query($owner:String!,$name:String!,$since:GitTimestamp,$cursor:String){ repository(owner:$owner,name:$name){ defaultBranchRef{ name target{ ... on Commit{ history(first:100, after:$cursor, since:$since){ totalCount pageInfo{hasNextPage endCursor} nodes{ oid committedDate authoredDate additions deletions changedFiles messageHeadline message url author{ name email date user{ databaseId login id } } } } } } } } rateLimit{cost remaining resetAt} })";

/// Q2: a repository's stargazers oldest first with starredAt, 100 per page (no 40,000-star cap as in REST).
inline constexpr std::string_view stargazers =
    R"(query($owner:String!,$name:String!,$cursor:String){ repository(owner:$owner,name:$name){ stargazerCount stargazers(first:100, after:$cursor, orderBy:{field:STARRED_AT,direction:ASC}){ totalCount pageInfo{hasNextPage endCursor} edges{ starredAt node{ databaseId login id } } } } rateLimit{cost remaining resetAt} })";

/// Q2b: a repository's stargazers newest first: the stars since the last sync are its first pages.
inline constexpr std::string_view stargazers_newest =
    R"(query($owner:String!,$name:String!,$cursor:String){ repository(owner:$owner,name:$name){ stargazerCount stargazers(first:100, after:$cursor, orderBy:{field:STARRED_AT,direction:DESC}){ totalCount pageInfo{hasNextPage endCursor} edges{ starredAt node{ databaseId login id } } } } rateLimit{cost remaining resetAt} })";

/// Q3: up to 100 user profiles by node id in one request, each with its first 100 followers: nested
/// connections are nearly free (100 users x followers(first:100) costs about 1 point), so most users'
/// followers come with their profile and only those with more than 100 need a listing of their own.
inline constexpr std::string_view users =
    R"(query($ids:[ID!]!){ nodes(ids:$ids){ ... on User{ id databaseId login name company location bio avatarUrl url createdAt followers(first:100){ totalCount nodes{ databaseId login id } } following{totalCount} } } rateLimit{cost remaining resetAt} })";

}  // namespace ampere::github::queries
