// Latin look-alikes: the Cyrillic, Greek and other letters that spammers and
// phishers put in place of Latin ones ("сrурtо" with Cyrillic с, у, р, о) so
// that word lists and domain checks miss them. Screening matches words on a
// folded text in which these letters are replaced by the Latin letter they
// imitate.
//
// The table is deliberately narrower than Unicode's confusables.txt: that
// file also maps "m" to "rn" and "0" to "O", which would break number
// detection and whole-word matching. Domain checks use ICU's full skeleton in
// addition (see lookalike_domain_detector.h).
#ifndef AGORA_SERVICES_MODERATION_SCREENING_CONFUSABLES_H_
#define AGORA_SERVICES_MODERATION_SCREENING_CONFUSABLES_H_

namespace agora::moderation::screening {

// The lowercase ASCII letter `code_point` imitates (either case of the
// look-alike), or 0 when it imitates none.
char32_t LatinLookalike(char32_t code_point);

}  // namespace agora::moderation::screening

#endif  // AGORA_SERVICES_MODERATION_SCREENING_CONFUSABLES_H_
