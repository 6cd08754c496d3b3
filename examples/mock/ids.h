/* New Exchange-looking identifiers for what the IM operations create. */
#ifndef EWS_MOCK_IDS_H
#define EWS_MOCK_IDS_H

typedef enum mock_id_kind {
    MOCK_ID_ITEM,     /* a store item (group, contact): "AAMk..." */
    MOCK_ID_PERSONA   /* a persona: "AAQk..." */
} mock_id_kind;

/* Base64 of 30 bytes: 40 characters and the NUL. */
#define MOCK_ID_SIZE 41

/* Writes a new id. Unique within the process (a counter is part of it) and,
 * by its random part, across runs over the same mailbox file. */
void mock_new_id(char out[MOCK_ID_SIZE], mock_id_kind kind);

#endif
