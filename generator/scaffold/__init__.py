"""Files written for the owner to edit: the next invoice (`remit new`), a new site
(`remit init`)."""
