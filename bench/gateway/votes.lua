-- wrk script: CastVote through the gateway, the way ranking_vote_load casts
-- them over gRPC (bench/ranking/vote_load.cc), so both figures are of the
-- same work: call k is cast by member k mod M with that member's token, on
-- one of 8 posts of the member's stripe, UP on even passes over the stripe
-- and DOWN on odd ones (after the first pass every vote changes the stored
-- one). Environment: TOKENS (file, one token per line), POSTS, THREADS.
local threads = {}
local thread_count = tonumber(os.getenv("THREADS") or "2")

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  tokens = {}
  for line in io.lines(os.getenv("TOKENS")) do
    tokens[#tokens + 1] = "Bearer " .. line
  end
  posts = tonumber(os.getenv("POSTS") or "1000")
  n = 0
end

function request()
  local k = n * thread_count + id
  n = n + 1
  local members = #tokens
  local member = k % members
  local pass = math.floor(k / members)
  local post = (member * 7919 + pass % 8) % posts
  local choice = (math.floor(pass / 8) % 2 == 0) and "VOTE_CHOICE_UP"
                 or "VOTE_CHOICE_DOWN"
  return wrk.format("POST", "/v1/tenants/fr/posts/p" .. (post + 1) .. ":vote",
                    {["Content-Type"] = "application/json",
                     ["Authorization"] = tokens[member + 1]},
                    '{"choice":"' .. choice .. '"}')
end
