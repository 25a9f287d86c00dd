-- The shop's survey_answers in the shape of the package's customer_attributes input.

with

survey_answers as (
    select * from {{ source('shop', 'survey_answers') }}
),

final as (
    select
        client_ref as customer_id,
        question as attribute,
        answer as value
    from survey_answers
)

select * from final
