#pragma once
// The GraphQL queries ampere sends, verbatim (the simulator answers the same three shapes).

#include <string_view>

namespace ampere::github {

/// Commit history of a repository's default branch with line counts, newest first, 100 per page.
inline constexpr std::string_view kCommitHistoryQuery =
    "query($owner:String!,$name:String!,$since:GitTimestamp,$cursor:String){ "
    "repository(owner:$owner,name:$name){ defaultBranchRef{ name target{ ... on Commit{ "
    "history(first:100, after:$cursor, since:$since){ totalCount pageInfo{hasNextPage endCursor} "
    "nodes{ oid committedDate authoredDate additions deletions changedFiles messageHeadline message url "
    "author{ name email date user{ databaseId login id } } } } } } } } rateLimit{cost remaining resetAt} }";

/// Stargazers of a repository with their star times, oldest first, 100 per page (no 40k cap).
inline constexpr std::string_view kStargazersQuery =
    "query($owner:String!,$name:String!,$cursor:String){ repository(owner:$owner,name:$name){ stargazerCount "
    "stargazers(first:100, after:$cursor, orderBy:{field:STARRED_AT,direction:ASC}){ totalCount "
    "pageInfo{hasNextPage endCursor} edges{ starredAt node{ databaseId login id } } } } "
    "rateLimit{cost remaining resetAt} }";

/// Up to 100 user profiles by node id.
inline constexpr std::string_view kUsersQuery =
    "query($ids:[ID!]!){ nodes(ids:$ids){ ... on User{ id databaseId login name company location bio avatarUrl url "
    "createdAt followers{totalCount} following{totalCount} } } rateLimit{cost remaining resetAt} }";

}  // namespace ampere::github
