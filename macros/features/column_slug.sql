{#- A value as a column-name suffix: lower case, Latin accents and ligatures
    transliterated (É -> e, ß -> ss, æ -> ae), combining marks dropped, runs of
    any other character as '_', no '_' at either end. Empty when nothing of the
    value is a Latin letter or digit (emoji, other scripts): pivot_columns then
    names the column by a hash. dbt's Jinja has no unicodedata, hence the table. -#}
{% macro column_slug(value) %}
    {%- set table = segmentation.transliteration_table() -%}
    {%- set text = modules.re.sub('[\u0300-\u036f]', '', value | string | lower) -%}
    {%- set letters = [] -%}
    {%- for character in text -%}
        {%- do letters.append(table.get(character, character)) -%}
    {%- endfor -%}
    {{ return(modules.re.sub('[^a-z0-9]+', '_', letters | join('')).strip('_')) }}
{% endmacro %}


{#- Lower-case Latin letters with diacritics (Latin-1 Supplement, Latin
    Extended-A, Romanian comma-below) and their ASCII spelling. -#}
{% macro transliteration_table() %}
    {%- set spellings = {
        'a': 'àáâãäåāăą', 'ae': 'æ', 'c': 'çćĉċč', 'd': 'ďđð', 'e': 'èéêëēĕėęě',
        'g': 'ĝğġģ', 'h': 'ĥħ', 'i': 'ìíîïĩīĭįı', 'ij': 'ĳ', 'j': 'ĵ', 'k': 'ķĸ',
        'l': 'ĺļľŀł', 'n': 'ñńņňŉŋ', 'o': 'òóôõöøōŏő', 'oe': 'œ', 'r': 'ŕŗř',
        's': 'śŝşšșſ', 'ss': 'ß', 't': 'ţťŧț', 'th': 'þ', 'u': 'ùúûüũūŭůűų',
        'w': 'ŵ', 'y': 'ýÿŷ', 'z': 'źżž',
    } -%}
    {%- set table = {} -%}
    {%- for spelling, characters in spellings.items() -%}
        {%- for character in characters -%}
            {%- do table.update({character: spelling}) -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ return(table) }}
{% endmacro %}
