-- 0011 what the referral rules need to know of a service: whether people
-- may refer themselves to it (Glasgow sends a patient from a most deprived
-- data zone to the links worker first unless they ask to go to a service
-- that takes self-referrals). Not known: false.
ALTER TABLE service ADD COLUMN self_referral boolean NOT NULL DEFAULT false;
