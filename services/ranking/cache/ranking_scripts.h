// The Lua scripts that change a tenant's tallies and boards. Each first
// checks the tenant's generation number (KEYS[1] against ARGV[1]) and
// answers {-3} when it is missing (Redis lost the tenant: rebuild) or
// {-2, current} when the caller used another one (a rebuild swapped
// generations: reload and retry), so no write lands in a generation
// nobody reads.
#ifndef AGORA_SERVICES_RANKING_CACHE_RANKING_SCRIPTS_H_
#define AGORA_SERVICES_RANKING_CACHE_RANKING_SCRIPTS_H_

#include "libs/redis/lua_script.h"

namespace agora::ranking {

// The two scripts that change a post also note it in the touched set
// (KEYS[4]) while a rebuild holds the lock (KEYS[3]): the rebuild
// recomputes those posts in the new generation after the swap.
//
// Applies one vote's changes: HINCRBY on the tally (KEYS[2]) for each
// (field, delta) pair, ZINCRBY on each day bucket (KEYS[5..]) with its
// expiry, removing entries that fall to 0, then bumps the tally's version.
// {-1} when the tally is missing (the post is repaired from PostgreSQL),
// else {version, [field, value, ...]}.
// ARGV: gen, member, field count F, F × (field, delta), per bucket
// (delta, expire-at seconds).
const redis::LuaScript& ApplyDeltasScript();

// Writes absolute board scores (KEYS[3..]) for a member, '' removing it,
// only when the tally's version (KEYS[2]) is still ARGV[2]: of two
// replicas scoring the same post, only the one that saw the latest counts
// writes. ARGV: gen, version, member, one score per board key.
// {1} written, {0} skipped.
const redis::LuaScript& WriteScoresScript();

// Replaces a post's tally (F = 0 deletes it), records its kind in the
// kinds hash (KEYS[5]; '' leaves it) and sets its entries on every board
// and bucket given (KEYS[6..]) ('' removes; expire-at 0 keeps no expiry):
// the repair of one post from PostgreSQL. ARGV: gen, member, kind ('' to
// leave it), expected tally version ('' for any), F, F × (field, value),
// per board key (score, expire-at). {version}, or {-4} when the tally's
// version is not the expected one (a vote landed since the repair read
// PostgreSQL: read again, or the rewrite would erase it).
const redis::LuaScript& WriteTargetScript();

// Reads a page of a board: KEYS[3] the board, or the union of the day
// buckets KEYS[4..] cached at KEYS[3] for 30 seconds; KEYS[2] the kinds
// hash. ARGV: gen, start, stop (0-based, inclusive).
// {total, {id, score, kind, id, score, kind, ...}}.
const redis::LuaScript& ReadBoardScript();

// Where a member stands on a board (same KEYS as ReadBoardScript; ARGV:
// gen, member): {total, rank (0-based, -1 when absent), score, the entries
// just above and below as {id, score, kind, ...} around it}.
const redis::LuaScript& RankOfScript();

}  // namespace agora::ranking

#endif  // AGORA_SERVICES_RANKING_CACHE_RANKING_SCRIPTS_H_
