/* chi.h — Community Health Index (CHI) numbers, NHS Scotland's patient
 * identifier: ten digits, the first six the date of birth (DDMMYY), the
 * ninth odd for men and even for women, the tenth a check digit. */
#ifndef LINKS_CHI_H
#define LINKS_CHI_H

enum links_chi_result {
    LINKS_CHI_VALID = 0,
    LINKS_CHI_NOT_DIGITS,       /* something other than digits (spaces are allowed and dropped) */
    LINKS_CHI_WRONG_LENGTH,     /* not ten digits */
    LINKS_CHI_BAD_DATE,         /* the first six are not a date of birth */
    LINKS_CHI_BAD_CHECK_DIGIT,  /* neither the modulus 11 nor the modulus 10 check holds */
};

/* Check a CHI number as typed ("010101 1237" is accepted: spaces are
 * dropped). On LINKS_CHI_VALID, out (11 bytes) holds the ten digits. A
 * number is valid when its check digit passes modulus 11 (the scheme of
 * every CHI number issued before November 2025) or modulus 10 (issued for
 * dates whose modulus 11 numbers have run out). */
enum links_chi_result links_chi_check(const char *typed, char out[11]);

/* What is wrong, for a problem answer ("is not ten digits"...). */
const char *links_chi_problem(enum links_chi_result r);

/* The check digit each scheme gives the first nine digits, or -1 (modulus
 * 11 gives none for some numbers: those are never issued under it). */
int links_chi_mod11_digit(const char nine[9]);
int links_chi_mod10_digit(const char nine[9]);

#endif
