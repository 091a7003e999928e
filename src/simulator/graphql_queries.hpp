#pragma once
// The GraphQL query shapes ampere sends and the simulator answers, verbatim. The GitHub client
// writes the same texts independently; the simulator recognizes them by their fields, not by byte
// equality, so whitespace differences do not matter.

#include <string_view>

namespace ampere::simulator::graphql {

/// Commit history of a repository's default branch with stats, newest first, 100 per page.
inline constexpr std::string_view commits_query =
    "query($owner:String!,$name:String!,$since:GitTimestamp,$cursor:String){ "
    "repository(owner:$owner,name:$name){ defaultBranchRef{ name target{ ... on Commit{ "
    "history(first:100, after:$cursor, since:$since){ totalCount pageInfo{hasNextPage endCursor} "
    "nodes{ oid committedDate authoredDate additions deletions changedFiles messageHeadline message url "
    "author{ name email date user{ databaseId login id } } } } } } } } rateLimit{cost remaining resetAt} }";

/// Stargazers of a repository with their star times, oldest first, 100 per page (no 40k cap).
inline constexpr std::string_view stargazers_query =
    "query($owner:String!,$name:String!,$cursor:String){ repository(owner:$owner,name:$name){ stargazerCount "
    "stargazers(first:100, after:$cursor, orderBy:{field:STARRED_AT,direction:ASC}){ totalCount "
    "pageInfo{hasNextPage endCursor} edges{ starredAt node{ databaseId login id } } } } "
    "rateLimit{cost remaining resetAt} }";

/// The same, newest first: the stars since the last sync are the first pages.
inline constexpr std::string_view stargazers_newest_query =
    "query($owner:String!,$name:String!,$cursor:String){ repository(owner:$owner,name:$name){ stargazerCount "
    "stargazers(first:100, after:$cursor, orderBy:{field:STARRED_AT,direction:DESC}){ totalCount "
    "pageInfo{hasNextPage endCursor} edges{ starredAt node{ databaseId login id } } } } "
    "rateLimit{cost remaining resetAt} }";

/// Up to 100 user profiles by node id.
inline constexpr std::string_view users_query =
    "query($ids:[ID!]!){ nodes(ids:$ids){ ... on User{ id databaseId login name company location bio avatarUrl url "
    "createdAt followers{totalCount} following{totalCount} } } rateLimit{cost remaining resetAt} }";

}  // namespace ampere::simulator::graphql
